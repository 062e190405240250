"""Bad `--endpoint-url` / `--profile` values and the start of the one line every AWS command answers them with
(exit 2, before any AWS call): shared by the commands' tests."""

from __future__ import annotations

BAD_SESSION_FLAGS = [
    (("--endpoint-url", "not-a-url"), "--endpoint-url 'not-a-url' has scheme '(none)'; fix: give an http://"),
    (("--endpoint-url", "http://[::1"), "--endpoint-url 'http://[::1' is not a valid URL (Invalid IPv6 URL)"),
    (("--endpoint-url", "ftp://x"), "--endpoint-url 'ftp://x' has scheme 'ftp'"),
    (("--profile", "nope"), "--profile 'nope' is not a profile in the AWS config or credentials files; fix:"),
]
