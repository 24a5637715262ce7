"""Organisation claims: a credit code proves nothing until a station or the bureau confirms the claim; until then
the account sees only its own filings; the real firm can contest a false claim and win."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.claims import services as claims
from app.demo.seed import complete_credit_code
from app.errors import Conflict
from app.extensions import db
from app.models import AuditRecord, OrganisationClaim, OutboxMessage, User
from tests.conftest import login
from tests.factories import BUYER_CODE, MINIMAL_PDF, SELLER_CODE, csrf_from, filing, sign_up_claimant

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
FRESH_CODE = complete_credit_code("91130402MA0CLM001")


def _claim_of(user_id: int) -> OrganisationClaim:
    return db.session.scalars(select(OrganisationClaim).where(OrganisationClaim.user_id == user_id)).one()


def _decide(actor_id: int, claim_id: int, outcome: str, note: str = "营业执照核对一致") -> None:
    claims.decide(db.session.get(User, actor_id), db.session.get(OrganisationClaim, claim_id), outcome, note)
    db.session.commit()


def _mails_to(email: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == email)))


@pytest.fixture
def registered_naming_buyer(app, api, make_account, api_as):
    """A contract of the default applicant, registered, naming BUYER_CODE as buyer; returns its id."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    created = api.post("/api/v1/contracts", json=filing()).json
    url = f"/api/v1/contracts/{created['id']}"
    api.post(f"{url}/attachments", data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")})
    assert api.post(f"{url}/submit", json={}).status_code == 200
    assert reviewer.post(f"{url}/accept", json={}).status_code == 200
    assert reviewer.post(f"{url}/register", json=REGISTER).status_code == 200
    return created["id"]


def test_a_pending_claimant_cannot_download_the_certificate_naming_it_until_confirmed(
    app, registered_naming_buyer, api_as, make_account
):
    with app.app_context():
        claimant = sign_up_claimant("buyer@example.cn", BUYER_CODE, "深圳买方股份有限公司")
        assert _claim_of(claimant.id).status == "pending"
    client = api_as(claimant)
    url = f"/api/v1/contracts/{registered_naming_buyer}/certificate.pdf"
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/contracts/{registered_naming_buyer}").status_code == 404
    reviewer = make_account("reviewer", station_code="130402")
    with app.app_context():
        _decide(reviewer.id, _claim_of(claimant.id).id, "confirm")
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    response.close()


def test_a_pending_claimant_sees_only_what_it_filed_itself(app, api, applicant, api_as, sign_in):
    """The organisation already has a confirmed account; a second sign-up with its code is a contest that sees
    none of the organisation's filings, in lists, pages, attachments and certificates."""
    theirs = api.post("/api/v1/contracts", json=filing(title="原有账号的合同")).json
    attachment = api.post(
        f"/api/v1/contracts/{theirs['id']}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
    ).json
    with app.app_context():
        claimant = sign_up_claimant("second@example.cn", SELLER_CODE)
        claim = _claim_of(claimant.id)
        assert (claim.kind, claim.status, claim.organisation_id) == ("contest", "pending", applicant.organisation_id)
    client = api_as(claimant)
    mine = client.post("/api/v1/contracts", json=filing(title="认领人自己的合同"))
    assert mine.status_code == 201  # it may still file
    listed = client.get("/api/v1/contracts").json["items"]
    assert [item["title"] for item in listed] == ["认领人自己的合同"]
    assert client.get(f"/api/v1/contracts/{theirs['id']}").status_code == 404
    assert client.get(f"/api/v1/contracts/{theirs['id']}/attachments/{attachment['id']}").status_code == 404
    assert client.patch(f"/api/v1/contracts/{theirs['id']}", json={"title": "改"}).status_code == 404
    web = sign_in(claimant)
    assert web.get(f"/contracts/{theirs['id']}").status_code == 404
    page = web.get("/contracts")
    assert "认领人自己的合同" in page.text and "原有账号的合同" not in page.text
    assert 'id="claim-pending-note"' in page.text
    # the organisation's confirmed account sees what the claimant filed in its name
    assert api.get(f"/api/v1/contracts/{mine.json['id']}").status_code == 200


def test_confirmation_opens_the_organisations_filings(app, make_account, api_as, sign_in):
    with app.app_context():
        claimant = sign_up_claimant("first@example.cn", FRESH_CODE, "邯郸认领科技有限公司")
    colleague = make_account("applicant", credit_code=FRESH_CODE)  # made by an administrator: confirmed
    filed = api_as(colleague).post("/api/v1/contracts", json=filing(title="同事的合同")).json
    web = sign_in(claimant)
    assert web.get(f"/contracts/{filed['id']}").status_code == 404
    bureau = make_account("bureau")
    with app.app_context():
        _decide(bureau.id, _claim_of(claimant.id).id, "confirm")
        assert _claim_of(claimant.id).basis == "licence_review"
        assert any("已确认" in subject for subject in _mails_to("first@example.cn"))
    assert web.get(f"/contracts/{filed['id']}").status_code == 200
    assert "同事的合同" in web.get("/contracts").text


def test_registering_a_filing_made_as_seller_confirms_the_filers_claim(app, make_account, api_as):
    with app.app_context():
        claimant = sign_up_claimant("seller@example.cn", FRESH_CODE, "邯郸卖方科技有限公司", licence=False)
    client = api_as(claimant)
    seller = {"name": "邯郸卖方科技有限公司", "credit_code": FRESH_CODE, "area_code": "130402", "nature": "150"}
    created = client.post("/api/v1/contracts", json=filing(seller=seller)).json
    url = f"/api/v1/contracts/{created['id']}"
    client.post(f"{url}/attachments", data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")})
    assert client.post(f"{url}/submit", json={}).status_code == 200
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    assert reviewer.post(f"{url}/accept", json={}).status_code == 200
    with app.app_context():
        assert _claim_of(claimant.id).status == "pending"
    assert reviewer.post(f"{url}/register", json=REGISTER).status_code == 200
    with app.app_context():
        claim = _claim_of(claimant.id)
        assert (claim.status, claim.basis, claim.contract_id) == ("confirmed", "seller_registration", created["id"])
        assert db.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "claim.confirm", AuditRecord.object_id == str(claim.id))
        ).one()


def test_the_real_firm_contests_a_false_claim_and_wins(app, make_account, sign_in, api_as):
    with app.app_context():
        impostor = sign_up_claimant("impostor@example.cn", FRESH_CODE, "冒名公司")
        real = sign_up_claimant("real@example.cn", FRESH_CODE, "邯郸真实科技有限公司")
        impostor_claim, real_claim = _claim_of(impostor.id), _claim_of(real.id)
        assert (impostor_claim.kind, real_claim.kind) == ("first", "contest")
        real_claim_id, impostor_claim_id = real_claim.id, impostor_claim.id
    impostor_web, impostor_api = sign_in(impostor), api_as(impostor)
    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    page = reviewer.get(f"/claims/{real_claim_id}")
    assert page.status_code == 200 and 'id="decision-bureau"' in page.text  # a contest is the bureau's
    assert reviewer.get(f"/claims/{impostor_claim_id}").text.count('id="decision-bureau"') == 1
    bureau = make_account("bureau")
    bureau_web = sign_in(bureau)
    page = bureau_web.get(f"/claims/{real_claim_id}")
    assert f'id="claim-{real_claim_id}"' in page.text and f'id="claim-{impostor_claim_id}"' in page.text
    assert "impostor@example.cn" in page.text and "real@example.cn" in page.text
    response = bureau_web.post(
        f"/claims/{real_claim_id}/decide",
        data={"outcome": "confirm", "note": "对比营业执照原件，后者为真", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 302
    with app.app_context():
        loser = db.session.get(User, impostor.id)
        assert not loser.active and loser.organisation_id is None
        assert _claim_of(impostor.id).status == "rejected" and _claim_of(real.id).status == "confirmed"
        assert any("未获确认" in s for s in _mails_to("impostor@example.cn"))
        assert any("已确认" in s for s in _mails_to("real@example.cn"))
    assert impostor_web.get("/contracts").status_code == 302  # the session no longer works
    assert impostor_api.get("/api/v1/contracts").status_code == 401
    assert login(app.test_client(), impostor.email, impostor.password).status_code == 200  # refused


def test_a_station_decides_only_claims_of_its_areas_and_a_note_is_required(app, make_account, sign_in):
    with app.app_context():
        claimant = sign_up_claimant("near@example.cn", FRESH_CODE, "邯郸近处科技有限公司")
        claim_id = _claim_of(claimant.id).id
    other = sign_in(make_account("reviewer", station_code="130403"))
    assert other.get(f"/claims/{claim_id}").status_code == 404
    assert f'/claims/{claim_id}"' not in other.get("/claims").text
    own = sign_in(make_account("reviewer", station_code="130402"))
    assert f'/claims/{claim_id}"' in own.get("/claims").text
    token = csrf_from(own.get(f"/claims/{claim_id}").text)
    refused = own.post(f"/claims/{claim_id}/decide", data={"outcome": "reject", "note": " ", "csrf_token": token})
    assert refused.status_code == 422
    with app.app_context():
        assert _claim_of(claimant.id).status == "pending"


def test_a_claim_without_a_licence_cannot_be_confirmed_until_one_is_uploaded(app, make_account, sign_in):
    with app.app_context():
        claimant = sign_up_claimant("nolicence@example.cn", FRESH_CODE, licence=False)
        claim_id = _claim_of(claimant.id).id
    reviewer = make_account("reviewer", station_code="130402")
    with app.app_context():
        with pytest.raises(Conflict):
            _decide(reviewer.id, claim_id, "confirm")
        db.session.rollback()
    page = sign_in(reviewer).get(f"/claims/{claim_id}").text
    assert 'value="confirm"' not in page and 'id="confirm-needs-licence"' in page and 'value="reject"' in page
    web = sign_in(claimant)
    token = csrf_from(web.get("/account/claim").text)
    bad = web.post(
        "/account/claim/licence",
        content_type="multipart/form-data",
        data={"csrf_token": token, "licence": (io.BytesIO(b"not a licence"), "licence.txt")},
    )
    assert bad.status_code == 422 and 'data-code="attachment.type"' in bad.text
    good = web.post(
        "/account/claim/licence",
        content_type="multipart/form-data",
        data={"csrf_token": token, "licence": (io.BytesIO(MINIMAL_PDF), "营业执照.pdf")},
    )
    assert good.status_code == 302
    assert "营业执照.pdf" in web.get("/account/claim").text
    served = sign_in(reviewer).get(f"/claims/{claim_id}/licence")
    assert served.status_code == 200 and served.data == MINIMAL_PDF
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    served.close()
    assert 'value="confirm"' in sign_in(reviewer).get(f"/claims/{claim_id}").text
    with app.app_context():
        _decide(reviewer.id, claim_id, "confirm")
        assert _claim_of(claimant.id).status == "confirmed"
