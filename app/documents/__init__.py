"""Printable documents of a filing's history: 受理回执, 补正通知书, 不予登记通知书 and the 技术合同登记表 as filed."""
