"""Refusals and pages cite the law, not the rule ID (issue 13 §2)."""

import re
from pathlib import Path

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import MessageDecoder, MessageEncoder
from django.template import Context, Template
from django.test import RequestFactory

from fazhi.core import citations
from fazhi.core.errors import TransitionRefused, ValidationError
from fazhi.core.messages import CitingStorage

ROOT = Path(__file__).resolve().parents[2]
# Where source names a rule: rule="ENF-08", Guard("ENF-08", …), RULE_X = "ENF-08", X_RULE = "SYS-01".
RULE_USES = re.compile(
    r"""(?:\brule=|\bGuard\(\s*|\b(?:RULE_\w+|\w+_RULE)\s*=\s*)["']([A-Z]{2,5}-\d{2})["']""")


def _rules_used_in_source() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations", "e2e"} & set(path.parts):
            continue
        for m in RULE_USES.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(m.group(1), str(path.relative_to(ROOT)))
    return used


def test_every_rule_a_refusal_names_has_a_citation():
    used = _rules_used_in_source()
    assert len(used) > 40  # the scan finds the rules (it would pass on nothing otherwise)
    missing = {rule: where for rule, where in used.items() if not citations.citation(rule)}
    assert missing == {}


def test_a_refusal_reads_as_the_citation_in_plain_text():
    exc = ValidationError("已超过办案期限", rule="ENF-08")
    assert str(exc) == "已超过办案期限（依据《中华人民共和国行政处罚法》第六十条）"
    assert exc.message == "已超过办案期限" and exc.rule == "ENF-08"  # the API keeps them apart


def test_on_a_page_the_rule_id_is_a_tooltip_on_the_citation():
    html = Template("{{ e }}").render(Context({"e": str(ValidationError("不能<立案>", rule="ENF-01"))}))
    assert html == ("不能&lt;立案&gt;（依据<abbr class=\"rule\" title=\"ENF-01\">"
                    "《中华人民共和国行政处罚法》第四十二条、第五十五条</abbr>）")


def test_a_form_error_keeps_the_tooltip():
    from django import forms

    form = forms.Form({})
    form.is_valid()
    form.add_error(None, str(TransitionRefused("尚未通知听证时间、地点", rule="ENF-07")))
    html = Template("{{ f.non_field_errors }}").render(Context({"f": form}))
    assert '<abbr class="rule" title="ENF-07">' in html and "ENF-07）" not in html


def test_a_citation_survives_copy_and_pickle():
    import copy
    import pickle

    cited = str(ValidationError("x", rule="ENF-08"))
    for again in (copy.deepcopy(cited), pickle.loads(pickle.dumps(cited))):
        assert again == cited and again.__html__() == cited.__html__()


def test_several_rules_and_unknown_ones_are_shown_as_written():
    assert citations.text("ENF-01, NOPE-99") == "《中华人民共和国行政处罚法》第四十二条、第五十五条、NOPE-99"
    assert 'title="ENF-25"' in citations.html("ENF-01、ENF-25")
    assert str(ValidationError("x", rule="NOPE-99")) == "x（依据NOPE-99）"


def test_a_message_keeps_the_tooltip_through_the_cookie():
    request = RequestFactory().get("/")
    request.session = {}
    storage = CitingStorage(request)
    storage.add(constants.ERROR, str(ValidationError("不能<删除>", rule="MDEC-02")))
    stored = storage._queued_messages[0]
    decoded = MessageDecoder().decode(MessageEncoder().encode(stored))
    html = Template("{{ m }}").render(Context({"m": decoded.message}))
    assert html.startswith("不能&lt;删除&gt;（依据<abbr class=\"rule\" title=\"MDEC-02\">《重大行政决策程序暂行条例》")


def test_a_rule_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr("fazhi.modules.citations", lambda: ({"ENF-08": "a"}, {"ENF-08": "b"}))
    citations.table.cache_clear()
    try:
        try:
            citations.table()
        except ValueError as exc:
            assert "ENF-08" in str(exc)
        else:
            raise AssertionError("duplicate citation accepted")
    finally:
        monkeypatch.undo()
        citations.table.cache_clear()


def test_cite_ids_cites_each_rule_of_a_slashed_group():
    html = Template("{% load citations %}{{ t|cite_ids }}").render(Context({"t": "法制审核（MDEC-08/09）"}))
    assert 'title="MDEC-08"' in html and 'title="MDEC-09"' in html and "/09" not in html


def test_cite_text_is_plain_text_for_a_title_attribute():
    rendered = Template('{% load citations %}<li title="{{ r|cite_text }}">x</li>').render(Context({"r": "ENF-01"}))
    assert rendered.startswith('<li title="《') and "（ENF-01）" in rendered and "<abbr" not in rendered
    assert Template("{% load citations %}{{ r|cite_text }}").render(Context({"r": ""})) == ""


def test_cite_text_expands_a_group_of_rules():
    rendered = Template("{% load citations %}{{ r|cite_text }}").render(Context({"r": "MDEC-08/09"}))
    assert rendered.endswith("（MDEC-08、MDEC-09）") and rendered.startswith("《重大行政决策程序暂行条例》")
