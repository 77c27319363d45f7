"""Manifests name their providers by dotted path (``deferred``); a typo there
would only show when the dashboard or the portal first calls it."""

import pytest

from fazhi import modules
from fazhi.core.manifest import deferred


def _deferred_providers():
    for manifest in modules.manifests():
        for provider in manifest.dashboard:
            yield manifest.label, provider
        for section in manifest.portal_sections:
            yield manifest.label, section.latest
        for fact in manifest.report_facts:
            yield manifest.label, fact.provider


def test_every_deferred_provider_resolves_to_a_function():
    seen = 0
    for label, provider in _deferred_providers():
        if isinstance(provider, deferred):
            module, _, name = provider.path.rpartition(".")
            assert module.startswith(f"fazhi.{label}."), provider.path
            target = getattr(__import__(module, fromlist=[name]), name, None)
            assert callable(target), f"{label}: {provider.path} is not a function"
            seen += 1
    assert seen >= 15


def test_deferred_passes_its_arguments_through():
    join = deferred("os.path.join")
    assert join("a", "b") == "a/b"
    with pytest.raises(AttributeError):
        deferred("os.path.no_such_function")()
