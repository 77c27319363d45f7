"""Citations of the enforcement rules (rules.md §3), by rule ID; see fazhi.core.citations."""

from fazhi.enforcement.workflow import TRANSFER_RULE

_LAW = "《中华人民共和国行政处罚法》"
_GUIDE = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"

CITATIONS = {
    "ENF-01": f"{_LAW}第四十二条、第五十五条",
    "ENF-03": f"{_LAW}第四十七条",
    "ENF-04": f"{_LAW}第五十八条",
    "ENF-05": f"{_LAW}第五十七条第二款",
    "ENF-06": f"{_LAW}第四十四条、第四十五条、第六十二条",
    "ENF-07": f"{_LAW}第六十三条、第六十四条",
    "ENF-08": f"{_LAW}第六十条",
    "ENF-09": f"{_LAW}第六十一条",
    "ENF-10": f"{_LAW}第五十九条",
    "ENF-11": f"{_LAW}第四十八条",
    "ENF-12": f"{_LAW}第五十一条、第五十二条",
    "ENF-14": f"{_LAW}第六十七条、第七十二条",
    "ENF-15": f"{_LAW}第三十六条",
    "ENF-19": _GUIDE,
    "ENF-20": "本地行政执法公示办法（公示期限）",
    "ENF-21": "《市场监督管理行政处罚信息公示规定》第九条至第十一条、第十三条",
    "ENF-24": "《法治政府建设实施纲要（2021—2025年）》第（十五）项（执法资格管理、裁量权基准）",
    "ENF-25": "本省行政执法证件管理办法",
    "ENF-26": "《法治政府建设实施纲要（2021—2025年）》（执法人员培训）",
    "ENF-28": "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）",
    # Remedies shown with every decision (portal 救济途径).
    "REC-01": "《中华人民共和国行政复议法》第二十条、第二十一条",
    "LIT-08": "《中华人民共和国行政诉讼法》第四十五条、第四十六条",
    TRANSFER_RULE: f"{_LAW}第二十七条",
}
