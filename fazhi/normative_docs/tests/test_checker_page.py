"""The pages that show the checker's findings (issue 12 §3): the reviewer's
detail page marks the flagged articles beside the text and lists kind, reason
and rule; the stand-alone check page does the same for pasted one-line text."""

import re

from django.test import Client
from django.urls import reverse

from fazhi.normative_docs.tests.factories import make_doc

# Pasted from a web page: one line, a fragment starting at article 15.
ONE_LINE = ("第十五条 建筑垃圾处置实行收费制度，收费按照物价部门核定的标准执行。"
            "第十六条 本办法与上级规定不一致的，以本办法为准。第十七条 本办法自公布之日起施行。")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def test_the_reviewer_sees_flagged_articles_of_a_one_line_fragment_beside_the_text(nd):
    doc = make_doc("legal_review", unit=nd.a, text=ONE_LINE, comments=0)
    response = client_for(nd.reviewer).get(reverse("normative_docs:detail", args=[doc.pk]))
    page = response.content.decode()
    flagged = re.findall(r'<p class="art flagged"[^>]*><b>([^<]+)</b>', page)
    assert flagged == ["第十五条", "第十六条"]
    assert "效力优先" in page and "规范性文件不能自定优先效力" in page and '依据：<abbr class="rule" title="NDOC-03">' in page
    assert response.context["flagged_articles"] == {"第十五条", "第十六条"}


def test_the_check_page_lists_kind_reason_and_rule(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:check"), {"text": ONE_LINE})
    assert response.status_code == 200
    report = response.context["report"]
    assert [(f.article, f.kind) for f in report.findings] == [("第十五条", "收费"), ("第十六条", "效力优先")]
    page = response.content.decode()
    assert "收费须有法律、法规依据并经批准" in page and "审核意见" in page
