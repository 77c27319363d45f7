"""Citations of the annual-report rules (rules.md §12), by rule ID; see fazhi.core.citations."""

_RULES = "《法治政府建设与责任落实督察工作规定》"

CITATIONS = {
    "RPT-01": f"{_RULES}第二十四条",
    "RPT-02": f"{_RULES}（年度报告内容）",
    "RPT-03": f"{_RULES}（报送对象）",
    "RPT-04": f"{_RULES}、本省法治政府建设年度报告工作指引（报送期限）",
}
