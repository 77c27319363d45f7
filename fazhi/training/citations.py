"""Citations of the 学法用法 and training rules (rules.md §11), by rule ID; see fazhi.core.citations."""

CITATIONS = {
    "LAW-02": "《关于完善国家工作人员学法用法制度的意见》（2016年）",
    "LAW-04": "本地国家工作人员学法用法考核办法（年度学时）",
    "LAW-05": "本地国家工作人员学法用法考核办法（学法档案）",
}
