"""The batch-filing workbook's layout (sheets, columns and their code lists) and the blank template built from it:
Chinese headers with the stable English key, a guide sheet, a code sheet, and list validation on coded columns."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from app.domain import areas
from app.domain import catalogue as cat
from app.models import Contract, ContractParty, Deduction

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_CREATED = datetime(
    2000, 1, 1
)  # a fixed date keeps the template's bytes the same from one download to the next
BOOLEANS = {"是": True, "否": False}


@dataclass(frozen=True)
class Column:
    """One column: its key (the API's field), Chinese header, kind, code list (for `code`) and the guide's note."""

    key: str
    zh: str
    kind: str  # text | code | date | money | bool | int | list | area
    note: str
    codes: dict | None = None
    max_length: int | None = None


def _length(column) -> int:
    return column.type.length


ALL_SUBTYPES = {code: label for subtypes in cat.SUBTYPES.values() for code, label in subtypes.items()}

CONTRACT_COLUMNS = (
    Column("ref", "合同编号", "text", "本表内的编号（如 C001），当事人表、扣除表用它指向本合同；留空则以行号代替。"),
    Column("title", "合同名称", "text", "合同书上的名称。", max_length=_length(Contract.title)),
    Column("category", "合同类别", "code", "技术开发、转让、许可、咨询、服务之一。", cat.CATEGORIES),
    Column("subtype", "合同子类", "code", "须属于所选类别。", ALL_SUBTYPES),
    Column("equity", "技术入股", "bool", "技术转让合同以技术入股的填“是”。"),
    Column(
        "signed_by_internal_unit", "内部单位签订", "bool", "由内设机构或课题组签订的填“是”，须另附法定代表人授权书。"
    ),
    Column("government_funded", "财政资助项目", "bool", "技术来自财政资助项目的填“是”，须另附资助方同意书。"),
    Column("signed_on", "签订日期", "date", "格式 YYYY-MM-DD。"),
    Column("valid_from", "有效期起", "date", "格式 YYYY-MM-DD。"),
    Column("valid_until", "有效期止", "date", "格式 YYYY-MM-DD。"),
    Column("amount", "合同金额（元）", "money", "最多两位小数，不含千分位以外的符号。"),
    Column("technical_amount", "技术交易额（元）", "money", "留空则按合同金额减去扣除项计算。"),
    Column("amount_fixed", "金额已确定", "bool", "提成等签订时金额未定的填“否”，金额可留空，日后补正。"),
    Column("technical_field", "技术领域", "code", "见代码表。", cat.TECHNICAL_FIELDS),
    Column("ip_type", "知识产权类型", "code", "未涉及知识产权的选 none。", cat.IP_TYPES),
    Column("ip_numbers", "知识产权编号", "list", "多个编号以分号分隔，如 ZL201310699744.2;ZL201410000001.X。"),
    Column("plan_category", "计划类别", "code", "见代码表。", cat.PLAN_CATEGORIES),
    Column("payment_method", "支付方式", "code", "见代码表。", cat.PAYMENT_METHODS),
    Column("summary", "技术内容摘要", "text", "不超过 5000 字。", max_length=5000),
    Column("license_exclusivity", "许可方式", "code", "仅技术许可合同填写。", cat.LICENSE_EXCLUSIVITY),
    Column("license_territory", "许可地域", "code", "仅技术许可合同填写。", cat.LICENSE_TERRITORY),
    Column("license_years", "许可年限", "int", "1 至 99 的整数。"),
)
PARTY_COLUMNS = (
    Column("contract_ref", "合同编号", "text", "合同表中的合同编号（或其行号）。"),
    Column(
        "role",
        "角色",
        "code",
        "seller 卖方、buyer 买方、intermediary 中介方；第一个卖方、买方为主要当事人。",
        cat.PARTY_ROLES,
    ),
    Column("name", "名称或姓名", "text", "单位全称或个人姓名。", max_length=_length(ContractParty.name)),
    Column(
        "credit_code", "统一社会信用代码", "text", "单位填写，18 位。", max_length=_length(ContractParty.credit_code)
    ),
    Column(
        "id_number",
        "身份证号码",
        "text",
        "个人填写，18 位（请以文本格式录入）。",
        max_length=_length(ContractParty.id_number),
    ),
    Column("area_code", "所在地区", "area", "六位行政区划代码，见代码表。"),
    Column("nature", "单位性质", "code", "三位代码，见代码表。", cat.PARTY_NATURES),
    Column("country", "国别", "text", "三位国别代码，中国 156，留空即 156。"),
)
DEDUCTION_COLUMNS = (
    Column("contract_ref", "合同编号", "text", "合同表中的合同编号（或其行号）。"),
    Column("kind", "扣除项类别", "code", "设备、仪器、零部件、原材料或其他非技术性费用。", cat.DEDUCTION_KINDS),
    Column("description", "说明", "text", "如“换热器两台”。", max_length=_length(Deduction.description)),
    Column("amount", "金额（元）", "money", "最多两位小数。"),
)


@dataclass(frozen=True)
class Sheet:
    """A data sheet: its key, Chinese name and columns."""

    key: str
    zh: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"{self.zh} {self.key}"


SHEETS = (
    Sheet("contracts", "合同", CONTRACT_COLUMNS),
    Sheet("parties", "当事人", PARTY_COLUMNS),
    Sheet("deductions", "扣除", DEDUCTION_COLUMNS),
)
GUIDE_SHEET = "说明 guide"
CODES_SHEET = "代码 codes"
TEXT_KINDS = ("text", "list", "date", "area")  # columns stored as text, so Excel keeps codes and dates as typed


def sheet_key(name: str) -> str | None:
    """The data sheet a sheet name stands for ("合同 contracts", "contracts" or "合同"), or None."""
    words = name.strip().split()
    for sheet in SHEETS:
        if words and (words[-1].lower() == sheet.key or words[0] == sheet.zh):
            return sheet.key
    return None


def choice(code: str, label: cat.Label | str) -> str:
    """A code as the lists offer it: the code, then its Chinese name ("development 技术开发")."""
    return f"{code} {label.zh if isinstance(label, cat.Label) else label}"


@cache
def area_choices() -> tuple[str, ...]:
    """Every current division as a list entry: "130402 河北省邯郸市邯山区"."""
    return tuple(choice(a.code, areas.full_name(a.code)) for a in areas.all_areas() if a.status == "current")


def _code_lists() -> list[tuple[str, str, list[str]]]:
    """(key, header, entries) of each list on the code sheet, in column order."""
    lists = []
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.kind == "code" and column.key not in {key for key, _, _ in lists}:
                lists.append(
                    (column.key, f"{column.zh} {column.key}", [choice(c, lb) for c, lb in column.codes.items()])
                )
    lists.append(("bool", "是否 yes/no", list(BOOLEANS)))
    lists.append(("area_code", "所在地区 area_code", list(area_choices())))
    return lists


def template() -> bytes:
    """The blank workbook: the three data sheets, the guide and the code lists."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"created": TEMPLATE_CREATED, "title": "技术合同批量申报模板"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    as_text = workbook.add_format({"num_format": "@"})
    data_sheets = [(sheet, workbook.add_worksheet(sheet.name)) for sheet in SHEETS]
    _write_guide(workbook.add_worksheet(GUIDE_SHEET), header)
    ranges = _write_codes(workbook.add_worksheet(CODES_SHEET), header)
    for sheet, worksheet in data_sheets:
        worksheet.freeze_panes(1, 0)
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(0, index, f"{column.zh} {column.key}", header)
            worksheet.set_column(index, index, 22, as_text if column.kind in TEXT_KINDS else None)
            _validate(worksheet, index, column, ranges)
    workbook.close()
    return buffer.getvalue()


def _validate(worksheet, index: int, column: Column, ranges: dict[str, str]) -> None:
    """A list (drop-down) on coded columns, a length limit on bounded text; a warning lets a bare code through."""
    last = 2001
    source = ranges.get("area_code" if column.kind == "area" else "bool" if column.kind == "bool" else column.key)
    if source:
        worksheet.data_validation(
            1,
            index,
            last,
            index,
            {
                "validate": "list",
                "source": source,
                "error_type": "warning",
                "error_title": "代码不在列表中",
                "error_message": "请从下拉列表中选择，或填写代码表中的代码。",
            },
        )
    elif column.max_length:
        worksheet.data_validation(
            1,
            index,
            last,
            index,
            {"validate": "length", "criteria": "<=", "value": column.max_length, "error_title": "文字过长"},
        )


def _write_codes(worksheet, header) -> dict[str, str]:
    """One column per code list; answers each list's absolute range for the validations."""
    ranges = {}
    for index, (key, title, entries) in enumerate(_code_lists()):
        worksheet.write_string(0, index, title, header)
        worksheet.set_column(index, index, 30 if key != "area_code" else 40)
        for row, entry in enumerate(entries, start=1):
            worksheet.write_string(row, index, entry)
        letter = xl_col_to_name(index)
        ranges[key] = f"='{CODES_SHEET}'!${letter}$2:${letter}${len(entries) + 1}"
    worksheet.freeze_panes(1, 0)
    return ranges


GUIDE_INTRO = (
    "技术合同批量申报模板：每份合同在“合同”表占一行，其当事人写在“当事人”表、扣除项写在“扣除”表，以合同编号相连。",
    "表头为“中文名 英文键”，请勿修改；编码列可从下拉列表选择（如 development 技术开发），也可只填代码。",
    "上传后逐行检查：无错误的行保存为草稿，有错误的行不保存，并列出原因。合同文本等附件须在各草稿页上传后再提交。",
    "单元格请填写数值本身，不要使用公式；含公式的行将被拒绝。每表最多 2000 行，文件不超过 10 MiB。",
)


def _write_guide(worksheet, header) -> None:
    """The explanations: what to do, then every column of every sheet with its meaning."""
    for row, line in enumerate(GUIDE_INTRO):
        worksheet.write_string(row, 0, line)
    top = len(GUIDE_INTRO) + 1
    for index, title in enumerate(("工作表 sheet", "列 column", "中文名", "说明")):
        worksheet.write_string(top, index, title, header)
    row = top + 1
    for sheet in SHEETS:
        for column in sheet.columns:
            worksheet.write_string(row, 0, sheet.name)
            worksheet.write_string(row, 1, column.key)
            worksheet.write_string(row, 2, column.zh)
            worksheet.write_string(row, 3, column.note)
            row += 1
    worksheet.set_column(0, 0, 18)
    worksheet.set_column(1, 2, 24)
    worksheet.set_column(3, 3, 80)


def rows_of(filing: dict, ref: str) -> tuple[list, list[list], list[list]]:
    """A filing in the JSON API's shape as the template's rows: its contract row, party rows and deduction rows."""
    license_terms = filing.get("license") or {}
    scalars = {**filing, **{f"license_{k}": v for k, v in license_terms.items()}, "ref": ref}
    contract = [_cell_text(scalars.get(column.key)) for column in CONTRACT_COLUMNS]
    parties = [
        {**(filing.get(role) or {}), "role": role} for role in ("seller", "buyer") if filing.get(role) is not None
    ] + list(filing.get("other_parties") or [])
    party_rows = [[ref, *(_cell_text(p.get(c.key)) for c in PARTY_COLUMNS[1:])] for p in parties]
    deduction_rows = [
        [ref, *(_cell_text(d.get(c.key)) for c in DEDUCTION_COLUMNS[1:])] for d in filing.get("deductions") or []
    ]
    return contract, party_rows, deduction_rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def filled(filings: list[dict]) -> bytes:
    """The template filled with the given filings (JSON API shape), refs C001, C002, ...: what an organisation's
    own system would produce, and what the demo and the benchmark upload. Every cell is written as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"created": TEMPLATE_CREATED})
    sheets = {sheet.key: workbook.add_worksheet(sheet.name) for sheet in SHEETS}
    for sheet in SHEETS:
        for index, column in enumerate(sheet.columns):
            sheets[sheet.key].write_string(0, index, f"{column.zh} {column.key}")
    next_row = {key: 1 for key in sheets}
    for number, filing in enumerate(filings, start=1):
        contract, parties, deductions = rows_of(filing, f"C{number:03d}")
        for key, rows in (("contracts", [contract]), ("parties", parties), ("deductions", deductions)):
            for row in rows:
                for index, text in enumerate(row):
                    if text:
                        sheets[key].write_string(next_row[key], index, text)
                next_row[key] += 1
    workbook.close()
    return buffer.getvalue()
