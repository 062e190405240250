"""URNs and aliases as the Pulumi engine computes them (step_generator.go: generateURN, collapseAliasToUrn,
inheritedChildAlias, generateAliases), checked on the cases the program relies on."""

from __future__ import annotations

from pulumi.runtime.proto import alias_pb2

from obsctl.plan import urns

STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"
ORG = "urn:pulumi:s::p::bedrockobs:monitoring:OrgMonitoring::org-monitoring"


def _spec(**fields: object) -> alias_pb2.Alias:
    return alias_pb2.Alias(spec=alias_pb2.Alias.Spec(**fields))  # type: ignore[arg-type]


def test_urns_are_qualified_by_every_ancestor_but_the_root_stack() -> None:
    top = urns.create("s", "p", "bedrockobs:monitoring:OrgMonitoring", "org-monitoring", STACK)
    assert top == ORG
    key = urns.create("s", "p", "bedrockobs:security:RegionalKey", "k", top)
    child = urns.create("s", "p", "aws:kms/key:Key", "k-key", key)
    assert (
        child
        == "urn:pulumi:s::p::bedrockobs:monitoring:OrgMonitoring$bedrockobs:security:RegionalKey$aws:kms/key:Key::k-key"
    )
    assert urns.parts(child) == ("s", "p", urns.qualified_type(child), "k-key")
    assert urns.type_of(child) == "aws:kms/key:Key" and urns.name_of("urn:pulumi:s::p::t::a::b") == "a::b"


def test_a_renamed_child_keeps_its_parent_and_type_unless_the_alias_says_otherwise() -> None:
    resolver = urns.AliasResolver("s", "p")
    new = urns.create("s", "p", "aws:oam/sink:Sink", "org-monitoring-sink-x", ORG)
    assert resolver.resolve(new, "aws:oam/sink:Sink", "org-monitoring-sink-x", ORG, [_spec(name="oam-sink-x")]) == [
        urns.create("s", "p", "aws:oam/sink:Sink", "oam-sink-x", ORG)
    ]
    moved = urns.create("s", "p", "aws:sns/topic:Topic", "t", ORG)
    assert resolver.resolve(moved, "aws:sns/topic:Topic", "t", ORG, [_spec(noParent=True)]) == [
        "urn:pulumi:s::p::aws:sns/topic:Topic::t"
    ]
    assert resolver.resolve(moved, "aws:sns/topic:Topic", "t", ORG, [alias_pb2.Alias(urn="urn:pulumi:s::p::x::y")]) == [
        "urn:pulumi:s::p::x::y"
    ]


def test_children_inherit_the_old_urn_of_a_renamed_parent_with_the_old_name_prefix() -> None:
    resolver = urns.AliasResolver("s", "p")
    key_type = "bedrockobs:security:RegionalKey"
    component = urns.create("s", "p", key_type, "org-monitoring-alerts-x", ORG)
    [old_component] = resolver.resolve(
        component, key_type, "org-monitoring-alerts-x", ORG, [_spec(name="org-alerts-x")]
    )
    prefixed = urns.create("s", "p", "aws:kms/key:Key", "org-monitoring-alerts-x-key", component)
    assert resolver.resolve(prefixed, "aws:kms/key:Key", "org-monitoring-alerts-x-key", component, []) == [
        urns.create("s", "p", "aws:kms/key:Key", "org-alerts-x-key", old_component)
    ]
    # A child whose name does not start with the parent's keeps its name under the parent's old URN.
    other = urns.create("s", "p", "aws:kms/alias:Alias", "alias", component)
    assert resolver.resolve(other, "aws:kms/alias:Alias", "alias", component, []) == [
        urns.create("s", "p", "aws:kms/alias:Alias", "alias", old_component)
    ]


def test_an_alias_naming_an_aliased_parent_uses_that_parents_old_urn() -> None:
    resolver = urns.AliasResolver("s", "p")
    parent = urns.create("s", "p", "c:c:C", "new", STACK)
    [old_parent] = resolver.resolve(parent, "c:c:C", "new", STACK, [_spec(name="old")])
    nested = urns.create("s", "p", "c:c:N", "n", parent)
    child = urns.create("s", "p", "aws:sns/topic:Topic", "n-topic", nested)
    aliases = resolver.resolve(child, "aws:sns/topic:Topic", "n-topic", nested, [_spec(name="n", parentUrn=parent)])
    assert aliases == [urns.create("s", "p", "aws:sns/topic:Topic", "n", old_parent)]
