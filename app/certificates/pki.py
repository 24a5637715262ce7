"""The bureau's PKI: a demo root CA and station signing keys, and loading a station's signer for pyHanko; beside
it the SM2 root, the stations' SM2 keys and their electronic seals for the OFD licence (sm2pki.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.certificates import ses, sm2pki
from app.certificates.fonts import seal_font_file
from app.certificates.ofd import station_seal

ROOT_CERT_FILE = "root-ca.pem"
ROOT_KEY_FILE = "root-ca.key"
BUREAU_NAME = "邯郸市科学技术局（演示）"
ROOT_COMMON_NAME = "TCR Demo Bureau Root CA"
ROOT_VALIDITY = dt.timedelta(days=20 * 365)
STATION_VALIDITY = dt.timedelta(days=10 * 365)


class PkiError(Exception):
    """Key material that is missing, unreadable or inconsistent."""


def station_cert_file(directory: Path, station_code: str) -> Path:
    """Where the certificate of a station lives (station-<code>.pem)."""
    return Path(directory) / f"station-{station_code}.pem"


def station_key_file(directory: Path, station_code: str) -> Path:
    """Where the encrypted private key of a station lives (station-<code>.key)."""
    return Path(directory) / f"station-{station_code}.key"


def load_root(directory: Path, passphrase: bytes | str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The bureau root's private key and certificate: the key that signs tax exports and audit checkpoints."""
    directory = Path(directory)
    secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
    key = serialization.load_pem_private_key((directory / ROOT_KEY_FILE).read_bytes(), password=secret)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{directory / ROOT_KEY_FILE} does not hold an EC private key")
    return key, x509.load_pem_x509_certificate((directory / ROOT_CERT_FILE).read_bytes())


def create_demo_pki(directory: Path, passphrase: bytes, station_codes: list[tuple[str, str]]) -> None:
    """Write the demo root CA and one signing key + certificate per (code, name); existing keys are kept."""
    if not passphrase:
        raise PkiError("a passphrase is required to encrypt the private keys")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key = _load_or_create_key(directory / ROOT_KEY_FILE, passphrase, ec.SECP384R1())
    root_cert = _load_or_create_root(directory / ROOT_CERT_FILE, root_key, now)
    for code, name in station_codes:
        key = _load_or_create_key(station_key_file(directory, code), passphrase, ec.SECP256R1())
        cert_path = station_cert_file(directory, code)
        if cert_path.exists() and _cert_matches(cert_path, key, root_cert):
            continue
        cert = _issue_station_cert(root_cert, root_key, key.public_key(), code, name, now)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    sm2pki.create_demo_sm2_pki(directory, passphrase, station_codes, BUREAU_NAME)
    _create_station_seals(directory, passphrase, station_codes, now)


def _create_station_seals(directory: Path, passphrase: bytes, station_codes: list[tuple[str, str]], now) -> None:
    """The bureau makes each station's electronic seal for its current SM2 certificate (kept while it fits)."""
    maker = sm2pki.load_root_signer(directory, passphrase)
    for code, name in station_codes:
        holder = sm2pki.load_certificate(sm2pki.station_sm2_cert_file(directory, code).read_bytes())
        path = sm2pki.station_seal_file(directory, code)
        if path.exists() and holder.dump() in ses.seal_holders(ses.load_seal(path.read_bytes())):
            continue
        path.write_bytes(station_seal(holder, maker, name, code, seal_font_file(), now).dump())


def _load_or_create_key(path: Path, passphrase: bytes, curve: ec.EllipticCurve) -> ec.EllipticCurvePrivateKey:
    """The EC key in `path`, or a new one written there encrypted (mode 0600)."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise PkiError(f"{path} does not hold an EC private key")
        return key
    key = ec.generate_private_key(curve)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def _load_or_create_root(path: Path, key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    """The root certificate in `path` (it must belong to `key`), or a new self-signed one."""
    if path.exists():
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        if cert.public_key().public_numbers() != key.public_key().public_numbers():
            raise PkiError(f"{path} does not belong to the root key")
        return cert
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, BUREAU_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_COMMON_NAME),
        ]
    )
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA384())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert


def _issue_station_cert(
    root_cert: x509.Certificate,
    root_key: ec.EllipticCurvePrivateKey,
    public_key: ec.EllipticCurvePublicKey,
    code: str,
    name: str,
    now: dt.datetime,
) -> x509.Certificate:
    """A station signing certificate: the station code in the subject's serialNumber, no CRL/OCSP URLs."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, BUREAU_NAME),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "技术合同登记"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, code),
        ]
    )
    root_ski = root_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + STATION_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA384())
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """keyCertSign + cRLSign for the root; digitalSignature + nonRepudiation for a station."""
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _cert_matches(cert_path: Path, key: ec.EllipticCurvePrivateKey, root_cert: x509.Certificate) -> bool:
    """Whether the certificate in `cert_path` is for `key` and issued by the current root."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.public_key().public_numbers() == key.public_key().public_numbers() and cert.issuer == root_cert.subject


def load_station_signer(directory: Path, station_code: str, passphrase: bytes) -> SimpleSigner:
    """The pyHanko signer of a station from station-<code>.key/.pem, with the root in its chain."""
    directory = Path(directory)
    try:
        key = serialization.load_pem_private_key(
            station_key_file(directory, station_code).read_bytes(), password=passphrase
        )
        cert = x509.load_pem_x509_certificate(station_cert_file(directory, station_code).read_bytes())
        root = x509.load_pem_x509_certificate((directory / ROOT_CERT_FILE).read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise PkiError(f"cannot load the signing key of station {station_code}: {error}") from error
    return _signer(key, cert, [root])


def load_signer_pkcs12(path: Path, passphrase: bytes) -> SimpleSigner:
    """The pyHanko signer in a PKCS#12 file (key, station certificate and its CA chain)."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(), passphrase)
    except (OSError, ValueError, TypeError) as error:
        raise PkiError(f"cannot load the PKCS#12 file {path}: {error}") from error
    if key is None or cert is None:
        raise PkiError(f"{path} holds no private key and certificate")
    return _signer(key, cert, chain)


def _signer(key, cert: x509.Certificate, chain: list[x509.Certificate]) -> SimpleSigner:
    """A SimpleSigner for a pyca key and certificate, after checking that they belong together."""
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        raise PkiError("the signing certificate does not belong to the private key")
    registry = SimpleCertificateStore()
    registry.register_multiple([_asn1_cert(c) for c in chain])
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=registry,
    )


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The asn1crypto form of a pyca certificate, as pyHanko wants it."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
