"""What changed between two submissions (app/domain/resubmission.py): fields by path, attachments by content."""

from __future__ import annotations

from app.domain.resubmission import FieldChange, diff_filings


def snapshot(**overrides) -> dict:
    base = {
        "title": "余热回收技术开发",
        "amount": "1250000.00",
        "summary": "研究开发余热回收工艺。",
        "seller": {"name": "示范科技有限公司", "credit_code": "91130400MA0000000X", "area_code": "130402"},
        "buyer": {"name": "邯郸钢铁", "credit_code": "91130400MA0000001Y", "area_code": "130403"},
        "deductions": [{"kind": "equipment", "description": "换热器", "amount": "170000.00"}],
        "ip_numbers": [],
        "license": None,
        "attachments": [
            {"kind": "contract_text", "filename": "合同.pdf", "sha256": "a" * 64},
            {"kind": "other", "filename": "说明.pdf", "sha256": "b" * 64},
        ],
    }
    return {**base, **overrides}


def test_the_same_filing_resubmitted_has_no_differences():
    diff = diff_filings(snapshot(), snapshot())
    assert not diff and diff.fields == [] and diff.attachments_added == [] and diff.attachments_removed == []


def test_changed_fields_come_in_the_filings_order_with_before_and_after():
    after = snapshot(summary="补正后的摘要。", amount="1300000.00", title="余热回收技术开发")
    assert diff_filings(snapshot(), after).fields == [
        FieldChange("amount", "1250000.00", "1300000.00"),
        FieldChange("summary", "研究开发余热回收工艺。", "补正后的摘要。"),
    ]


def test_a_party_is_compared_member_by_member():
    before = snapshot()
    after = snapshot(buyer={**before["buyer"], "credit_code": "91130400MA0000002Z"})
    assert diff_filings(before, after).fields == [
        FieldChange("buyer.credit_code", "91130400MA0000001Y", "91130400MA0000002Z")
    ]


def test_a_party_or_licence_that_appears_shows_each_member_set():
    after = snapshot(license={"exclusivity": "exclusive", "territory": None, "years": 5})
    assert diff_filings(snapshot(), after).fields == [
        FieldChange("license.exclusivity", None, "exclusive"),
        FieldChange("license.years", None, 5),
    ]


def test_lists_are_compared_whole_and_empty_equals_missing():
    deductions = [{"kind": "equipment", "description": "换热器两台", "amount": "170000.00"}]
    after = snapshot(deductions=deductions, ip_numbers=None, summary="研究开发余热回收工艺。")
    changes = diff_filings(snapshot(), after).fields
    assert [c.path for c in changes] == ["deductions"] and changes[0].after == deductions


def test_a_field_dropped_from_the_later_snapshot_is_reported_last():
    before = snapshot(technical_field="electronics")
    assert diff_filings(before, snapshot()).fields == [FieldChange("technical_field", "electronics", None)]


def test_attachments_are_matched_by_kind_and_content_not_by_name():
    before = snapshot()
    renamed = {"kind": "contract_text", "filename": "合同（盖章）.pdf", "sha256": "a" * 64}
    new_scan = {"kind": "other", "filename": "说明.pdf", "sha256": "c" * 64}
    diff = diff_filings(before, snapshot(attachments=[renamed, new_scan]))
    assert diff.fields == []
    assert diff.attachments_added == [new_scan]
    assert diff.attachments_removed == [before["attachments"][1]]


def test_a_second_copy_of_the_same_file_counts_as_added():
    before = snapshot()
    copy = dict(before["attachments"][0])
    diff = diff_filings(before, snapshot(attachments=[*before["attachments"], copy]))
    assert diff.attachments_added == [copy] and diff.attachments_removed == []


def test_a_missing_snapshot_side_reads_as_empty():
    diff = diff_filings({}, {"title": "新标题", "attachments": [{"kind": "other", "filename": "x.pdf", "sha256": "d"}]})
    assert diff.fields == [FieldChange("title", None, "新标题")] and len(diff.attachments_added) == 1


def test_other_parties_are_compared_party_by_party_member_by_member():
    broker = {
        "role": "intermediary",
        "name": "技术转移中心",
        "credit_code": "91130400105834526F",
        "area_code": "130403",
    }
    co_seller = {"role": "seller", "name": "某某研究院", "credit_code": "12100000400000624D", "area_code": "130402"}
    before = snapshot(other_parties=[broker])
    after = snapshot(other_parties=[{**broker, "credit_code": "91130400105834526X"}, co_seller])
    assert diff_filings(before, after).fields == [
        FieldChange("other_parties.0.credit_code", "91130400105834526F", "91130400105834526X"),
        FieldChange("other_parties.1.role", None, "seller"),
        FieldChange("other_parties.1.name", None, "某某研究院"),
        FieldChange("other_parties.1.credit_code", None, "12100000400000624D"),
        FieldChange("other_parties.1.area_code", None, "130402"),
    ]
    assert diff_filings(after, snapshot(other_parties=[])).fields[0] == FieldChange(
        "other_parties.0.role", "intermediary", None
    )
    assert not diff_filings(snapshot(), snapshot(other_parties=[]))
