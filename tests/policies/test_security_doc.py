"""SECURITY.md stays true to the pack: every control the rules map to has a row naming its standards, every
rule it cites enforces that control, the counts add up, and every scanner finding has its rationale."""

from __future__ import annotations

import re
import sys

from obsctl.policy import PACK_DIR, load_pack

DOC = (PACK_DIR.parent / "SECURITY.md").read_text()
STATUSES = ("enforced", "by construction", "not met")


def _rows() -> dict[str, tuple[str, str, str]]:
    section = DOC.split("## Control mapping", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[A-Za-z0-9]+\.\d+", cells[0]):
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    return rows


def test_every_mapped_control_has_a_row_with_its_standards() -> None:
    sys.path.insert(0, str(PACK_DIR))
    from bedrock_guardrails._controls import CONTROLS

    rows = _rows()
    assert set(CONTROLS) <= set(rows)
    for control, standards in CONTROLS.items():
        for standard in standards:
            assert standard in rows[control][0], (control, standard)


def test_enforced_controls_name_rules_that_enforce_them() -> None:
    policies = {p.name: p for p in load_pack().ALL_POLICIES}
    for control, (_, status, how) in _rows().items():
        assert status in STATUSES, control
        if status != "enforced":
            continue
        cited = re.findall(r"`([a-z0-9-]+)`", how)
        assert cited and all(rule in policies for rule in cited), (control, cited)
        assert any(
            policies[rule].framework and control in policies[rule].framework.reference.split(", ") for rule in cited
        ), control


def test_the_counts_add_up() -> None:
    statuses = [status for _, status, _ in _rows().values()]
    counts = re.search(r"\*\*Counts: (\d+) enforced, (\d+) by construction, (\d+) not met\*\* \((\d+) controls\)", DOC)
    assert counts, "the counts line is missing"
    assert [int(n) for n in counts.groups()] == [*(statuses.count(s) for s in STATUSES), len(statuses)]


def test_every_scanner_finding_has_its_rationale() -> None:
    # The five kinds checkov 3.3.30 reported on the example plans, and the one the access-log buckets add.
    ids = {"CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62", "CKV_AWS_338", "CKV_AWS_252", "CKV_AWS_145"}
    scanner = DOC.split("## Scanner findings", 1)[1].split("\n## ", 1)[0]
    for check in ids:
        assert re.search(rf"^- \*\*{check}\*\* \(.+\) - (closed|kept)", scanner, re.MULTILINE), check


def test_every_scp_file_is_described() -> None:
    for path in (PACK_DIR / "scp").glob("*.json"):
        assert f"| `{path.name}` |" in DOC, path.name
