"""Citations of the major-decision rules (rules.md §2), by rule ID; see fazhi.core.citations."""

_REG = "《重大行政决策程序暂行条例》"

CITATIONS = {
    "MDEC-01": f"{_REG}第三条第一款、第二款",
    "MDEC-02": f"{_REG}第三条第三款",
    "MDEC-03": f"{_REG}第十条、第十一条",
    "MDEC-04": f"{_REG}第十四条、第十五条",
    "MDEC-05": f"{_REG}第十六条、第十七条",
    "MDEC-06": f"{_REG}第十九条至第二十一条",
    "MDEC-07": f"{_REG}第二十二条至第二十四条",
    "MDEC-08": f"{_REG}第二十五条",
    "MDEC-09": f"{_REG}第二十六条、第二十八条",
    "MDEC-10": f"{_REG}第二十九条",
    "MDEC-11": f"{_REG}第三十条",
    "MDEC-12": f"{_REG}第三十一条",
    "MDEC-13": f"{_REG}第三十二条",
    "MDEC-14": f"{_REG}第三十三条",
    "MDEC-15": f"{_REG}第三十四条至第三十六条",
    "MDEC-16": f"{_REG}第三十七条",
    "MDEC-17": f"{_REG}第三十八条",
}
