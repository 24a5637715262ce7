"""The electronic seal and the seal signature of GB/T 38540-2020 (version 4), as ASN.1 with asn1crypto.

SESeal: the seal (its header, id, property with the holder's certificate, and its picture) signed by the seal
maker, here the bureau's SM2 root. SES_Signature: the signed data (TBS_Sign: the seal, the signing time, the SM3
digest of the protected data, the property "which file was signed") signed with the station's SM2 key, with the
station's certificate beside it. Field names follow the standard; SES_CertList is written as its `certs` choice
(a list of DER certificates, certListType 1), which is how the standard's two untagged choices are told apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import core
from asn1crypto import x509 as asn1_x509

from app.certificates.sm2pki import SM2_WITH_SM3, Sm2Signer, issued_by, load_certificate, sm2_verify

SES_VERSION = 4
SEAL_VENDOR_ID = "TCR"
SEAL_TYPE_OFFICIAL = 1  # 单位印章 (organisation's seal)
CERT_LIST_CERTIFICATES = 1


class SesHeader(core.Sequence):
    """SES_Header: "ES", the version, the vendor's id."""

    _fields = [("id", core.IA5String), ("version", core.Integer), ("vid", core.IA5String)]


class CertInfoList(core.SequenceOf):
    """The holders' certificates, DER in OCTET STRINGs."""

    _child_spec = core.OctetString


class SesESPropertyInfo(core.Sequence):
    """SES_ESPropertyInfo: type, name, the holders' certificates and the validity of the seal."""

    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("cert_list_type", core.Integer),
        ("cert_list", CertInfoList),
        ("create_date", core.GeneralizedTime),
        ("valid_start", core.GeneralizedTime),
        ("valid_end", core.GeneralizedTime),
    ]


class SesESPictureInfo(core.Sequence):
    """SES_ESPictrueInfo (sic in the standard): the picture's format, bytes and size in millimetres."""

    _fields = [
        ("type", core.IA5String),
        ("data", core.OctetString),
        ("width", core.Integer),
        ("height", core.Integer),
    ]


class ExtData(core.Sequence):
    """One extension datum."""

    _fields = [
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class ExtensionDatas(core.SequenceOf):
    """Extension data."""

    _child_spec = ExtData


class SesSealInfo(core.Sequence):
    """SES_SealInfo: what the seal maker signs, with the maker's certificate and algorithm."""

    _fields = [
        ("header", SesHeader),
        ("es_id", core.IA5String),
        ("property", SesESPropertyInfo),
        ("picture", SesESPictureInfo),
        ("ext_datas", ExtensionDatas, {"optional": True}),
    ]


class SealToSign(core.Sequence):
    """The maker's signed data: SEQUENCE { eSealInfo, cert, signAlgID }."""

    _fields = [("eseal_info", SesSealInfo), ("cert", core.OctetString), ("sign_alg_id", core.ObjectIdentifier)]


class SESeal(core.Sequence):
    """SESeal: the seal, the maker's certificate, the algorithm and the maker's signature."""

    _fields = [
        ("eseal_info", SesSealInfo),
        ("cert", core.OctetString),
        ("sign_alg_id", core.ObjectIdentifier),
        ("signed_value", core.OctetBitString),
    ]


class TbsSign(core.Sequence):
    """TBS_Sign: the seal, when, the SM3 digest of the protected data, and which data."""

    _fields = [
        ("version", core.Integer),
        ("eseal", SESeal),
        ("time_info", core.GeneralizedTime),
        ("data_hash", core.OctetBitString),
        ("property_info", core.IA5String),
        ("ext_datas", ExtensionDatas, {"explicit": 0, "optional": True}),
    ]


class SesSignature(core.Sequence):
    """SES_Signature: TBS_Sign, the signer's certificate, the algorithm and the signature."""

    _fields = [
        ("to_sign", TbsSign),
        ("cert", core.OctetString),
        ("signature_alg_id", core.ObjectIdentifier),
        ("signature", core.OctetBitString),
        ("time_stamp", core.OctetBitString, {"explicit": 0, "optional": True}),
    ]


@dataclass(frozen=True)
class SealPicture:
    """The seal's picture: PNG bytes and the printed size in millimetres."""

    png: bytes
    width_mm: int
    height_mm: int


def make_seal(
    holder: asn1_x509.Certificate, maker: Sm2Signer, name: str, picture: SealPicture, seal_id: str, now: dt.datetime
) -> SESeal:
    """The seal of the holder (a station's SM2 certificate), made and signed by `maker` (the bureau's SM2 root),
    valid as long as the holder's certificate."""
    validity = holder["tbs_certificate"]["validity"]
    info = SesSealInfo(
        {
            "header": {"id": "ES", "version": SES_VERSION, "vid": SEAL_VENDOR_ID},
            "es_id": seal_id,
            "property": {
                "type": SEAL_TYPE_OFFICIAL,
                "name": name,
                "cert_list_type": CERT_LIST_CERTIFICATES,
                "cert_list": [holder.dump()],
                "create_date": now,
                "valid_start": validity["not_before"].native,
                "valid_end": validity["not_after"].native,
            },
            "picture": {"type": "PNG", "data": picture.png, "width": picture.width_mm, "height": picture.height_mm},
        }
    )
    maker_cert = maker.certificate.dump()
    to_sign = SealToSign({"eseal_info": info, "cert": maker_cert, "sign_alg_id": SM2_WITH_SM3})
    return SESeal(
        {
            "eseal_info": info,
            "cert": maker_cert,
            "sign_alg_id": SM2_WITH_SM3,
            "signed_value": maker.key.sign(to_sign.dump()),
        }
    )


def seal_holders(seal: SESeal) -> list[bytes]:
    """The DER certificates the seal may be used with."""
    return [item.native for item in seal["eseal_info"]["property"]["cert_list"]]


def load_seal(data: bytes) -> SESeal:
    """A seal file (DER SESeal), fully parsed."""
    seal = SESeal.load(data)
    seal.native  # noqa: B018 -- parse it fully now
    return seal


def sign(signer: Sm2Signer, seal: SESeal, data_hash: bytes, property_info: str, now: dt.datetime) -> bytes:
    """The DER SES_Signature over `data_hash` (SM3 of the protected data), made with the station's key."""
    to_sign = TbsSign(
        {
            "version": SES_VERSION,
            "eseal": seal,
            "time_info": now,
            "data_hash": data_hash,
            "property_info": property_info,
        }
    )
    return SesSignature(
        {
            "to_sign": to_sign,
            "cert": signer.certificate.dump(),
            "signature_alg_id": SM2_WITH_SM3,
            "signature": signer.key.sign(to_sign.dump()),
        }
    ).dump()


class SealProblem(Exception):
    """What is wrong with a seal signature (its message is a stable reason of the verifier)."""


@dataclass(frozen=True)
class SealFacts:
    """What a verified seal signature says."""

    signer: asn1_x509.Certificate
    seal_name: str
    seal_der: bytes
    signed_at: dt.datetime
    property_info: str


def verify(signature_der: bytes, data_hash: bytes, root: asn1_x509.Certificate) -> SealFacts:
    """Check a SES_Signature: its digest is `data_hash`, the station's SM2 signature, the seal made by the root,
    the station's certificate issued by the root and valid at signing; SealProblem with the reason if not."""
    try:
        signature = SesSignature.load(signature_der)
        signature.native  # noqa: B018 -- parse it fully: a damaged structure fails here
        to_sign = signature["to_sign"]
        signer = load_certificate(signature["cert"].native)
        seal = to_sign["eseal"]
        maker = load_certificate(seal["cert"].native)
    except (ValueError, TypeError, KeyError) as error:
        raise SealProblem("damaged") from error
    if signature["signature_alg_id"].dotted != SM2_WITH_SM3 or seal["sign_alg_id"].dotted != SM2_WITH_SM3:
        raise SealProblem("algorithm")
    if to_sign["data_hash"].native != data_hash:
        raise SealProblem("altered")
    if not sm2_verify(signer, to_sign.dump(), signature["signature"].native):
        raise SealProblem("bad_signature")
    seal_to_sign = SealToSign(
        {"eseal_info": seal["eseal_info"], "cert": seal["cert"], "sign_alg_id": seal["sign_alg_id"]}
    )
    if maker.dump() != root.dump() or not sm2_verify(maker, seal_to_sign.dump(), seal["signed_value"].native):
        raise SealProblem("foreign_seal")
    if not issued_by(signer, root):
        raise SealProblem("foreign")
    if signer.dump() not in seal_holders(seal):
        raise SealProblem("not_holder")
    signed_at = to_sign["time_info"].native
    validity = signer["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= signed_at <= validity["not_after"].native:
        raise SealProblem("cert_time")
    return SealFacts(
        signer, seal["eseal_info"]["property"]["name"].native, seal.dump(), signed_at, to_sign["property_info"].native
    )
