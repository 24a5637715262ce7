"""The bureau's SM2 PKI, beside the ECDSA one: an SM2 root and one SM2 seal key + certificate per station.

Why these libraries: `cryptography` hashes SM3 but cannot sign or verify with SM2, and cannot build an X.509
certificate with an SM2 key. SM2 comes from `gmssl_pyx`, a C extension around GmSSL 3.2 (the reference
implementation of the Chinese algorithms, by the SM2 standard's community; Apache-2.0, wheels for CPython 3.8-3.14,
regular releases): its `sm2_sign`/`sm2_verify` compute the signer's Z value with the default ID 1234567812345678
(GM/T 0009) and answer DER (r, s). The pure-Python `gmssl` package (last release 2023, the caller supplies the random
k) was the alternative and was not chosen. The certificates are plain X.509 v3 structures built with asn1crypto
(already a dependency through pyHanko): subject key on the SM2 curve (1.2.156.10197.1.301), signed with
SM2-with-SM3 (1.2.156.10197.1.501), as GM/T 0015 describes; OpenSSL 3 reads and verifies them. The private keys are
stored as PKCS#8 EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), which OpenSSL reads too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import gmssl_pyx
from asn1crypto import algos, keys, pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

SM2_CURVE = "1.2.156.10197.1.301"
SM2_WITH_SM3 = "1.2.156.10197.1.501"
SM3 = "1.2.156.10197.1.401"
SM2_ROOT_CERT_FILE = "root-sm2.pem"
SM2_ROOT_KEY_FILE = "root-sm2.key"
ROOT_COMMON_NAME = "TCR Demo Bureau SM2 Root CA"
PBKDF2_ITERATIONS = 100_000

# asn1crypto knows the curve's OID only once told its key length (an idempotent, process-wide registration).
keys.NamedCurve.register("sm2p256v1", SM2_CURVE, 32)


class Sm2Error(Exception):
    """SM2 key material that is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Sm2Key:
    """An SM2 key pair: the 32-byte private scalar and the 64-byte public point (X || Y)."""

    private: bytes
    public: bytes

    def sign(self, message: bytes) -> bytes:
        """SM2 signature (DER r, s) of SM3(Z || message), Z with the default signer ID."""
        return gmssl_pyx.sm2_sign(self.private, self.public, message)


@dataclass(frozen=True)
class Sm2Signer:
    """A station's seal key, its certificate and the root that issued it."""

    key: Sm2Key
    certificate: asn1_x509.Certificate
    root: asn1_x509.Certificate


def station_sm2_cert_file(directory: Path, station_code: str) -> Path:
    """Where the SM2 certificate of a station lives (station-<code>.sm2.pem)."""
    return Path(directory) / f"station-{station_code}.sm2.pem"


def station_sm2_key_file(directory: Path, station_code: str) -> Path:
    """Where the encrypted SM2 private key of a station lives (station-<code>.sm2.key)."""
    return Path(directory) / f"station-{station_code}.sm2.key"


def public_key_of(certificate: asn1_x509.Certificate) -> bytes:
    """The 64-byte SM2 public point of a certificate; Sm2Error if it holds no SM2 key."""
    info = certificate["tbs_certificate"]["subject_public_key_info"]
    parameters = info["algorithm"]["parameters"]
    if info["algorithm"]["algorithm"].native != "ec" or parameters.chosen.dotted != SM2_CURVE:
        raise Sm2Error("the certificate does not hold an SM2 public key")
    point = info["public_key"].native
    if len(point) != 65 or point[0] != 4:
        raise Sm2Error("the SM2 public key is not an uncompressed point")
    return point[1:]


def sm2_verify(certificate: asn1_x509.Certificate, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is the SM2 signature of `message` by the key of `certificate`."""
    try:
        return bool(gmssl_pyx.sm2_verify(public_key_of(certificate), message, signature))
    except gmssl_pyx.GmsslInnerError:
        return False


def issued_by(certificate: asn1_x509.Certificate, issuer: asn1_x509.Certificate) -> bool:
    """Whether `issuer` names and signed `certificate` with SM2-with-SM3."""
    if certificate["signature_algorithm"]["algorithm"].dotted != SM2_WITH_SM3:
        return False
    if certificate.issuer != issuer.subject:
        return False
    tbs = certificate["tbs_certificate"].dump()
    return sm2_verify(issuer, tbs, certificate["signature_value"].native)


def load_certificate(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes, fully parsed (a broken one fails here)."""
    der = pem.unarmor(data)[2] if pem.detect(data) else data
    certificate = asn1_x509.Certificate.load(der)
    certificate.native  # noqa: B018 -- parse it fully now
    return certificate


def create_demo_sm2_pki(directory: Path, passphrase: bytes, station_codes: list[tuple[str, str]], bureau: str) -> None:
    """Write the SM2 root and one SM2 seal key + certificate per (code, name); existing keys are kept."""
    directory = Path(directory)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key = _load_or_create_key(directory / SM2_ROOT_KEY_FILE, passphrase)
    root_path = directory / SM2_ROOT_CERT_FILE
    if root_path.exists():
        root = load_certificate(root_path.read_bytes())
        if public_key_of(root) != root_key.public:
            raise Sm2Error(f"{root_path} does not belong to the SM2 root key")
    else:
        name = asn1_x509.Name.build(
            {"country_name": "CN", "organization_name": bureau, "common_name": ROOT_COMMON_NAME}
        )
        root = _certificate(name, name, root_key.public, root_key, now, dt.timedelta(days=20 * 365), ca=True)
        root_path.write_bytes(pem.armor("CERTIFICATE", root.dump()))
    for code, station_name in station_codes:
        key = _load_or_create_key(station_sm2_key_file(directory, code), passphrase)
        cert_path = station_sm2_cert_file(directory, code)
        if cert_path.exists():
            existing = load_certificate(cert_path.read_bytes())
            if public_key_of(existing) == key.public and issued_by(existing, root):
                continue
        subject = asn1_x509.Name.build(
            {
                "country_name": "CN",
                "organization_name": bureau,
                "organizational_unit_name": "技术合同登记",
                "common_name": station_name,
                "serial_number": code,
            }
        )
        cert = _certificate(root.subject, subject, key.public, root_key, now, dt.timedelta(days=10 * 365), ca=False)
        cert_path.write_bytes(pem.armor("CERTIFICATE", cert.dump()))


def station_seal_file(directory: Path, station_code: str) -> Path:
    """Where a station's electronic seal (DER SESeal, made by the bureau) lives (station-<code>.esl)."""
    return Path(directory) / f"station-{station_code}.esl"


def load_root_signer(directory: Path, passphrase: bytes) -> Sm2Signer:
    """The bureau's SM2 root key and certificate: the seal maker."""
    directory = Path(directory)
    key = load_key(directory / SM2_ROOT_KEY_FILE, passphrase)
    root = load_certificate((directory / SM2_ROOT_CERT_FILE).read_bytes())
    if public_key_of(root) != key.public:
        raise Sm2Error("the SM2 root certificate does not belong to the root key")
    return Sm2Signer(key, root, root)


def load_station_sm2_signer(directory: Path, station_code: str, passphrase: bytes) -> Sm2Signer:
    """A station's SM2 seal key with its certificate, checked against the SM2 root."""
    directory = Path(directory)
    try:
        key = load_key(station_sm2_key_file(directory, station_code), passphrase)
        cert = load_certificate(station_sm2_cert_file(directory, station_code).read_bytes())
        root = load_certificate((directory / SM2_ROOT_CERT_FILE).read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise Sm2Error(f"cannot load the SM2 seal key of station {station_code}: {error}") from error
    if public_key_of(cert) != key.public:
        raise Sm2Error("the SM2 certificate does not belong to the private key")
    if not issued_by(cert, root):
        raise Sm2Error("the SM2 certificate was not issued by the SM2 root")
    return Sm2Signer(key, cert, root)


def _certificate(issuer, subject, public: bytes, signing_key: Sm2Key, now, validity, *, ca: bool):
    """An X.509 v3 certificate for an SM2 public key, signed SM2-with-SM3 by `signing_key`."""
    key_info = keys.PublicKeyInfo(
        {"algorithm": {"algorithm": "ec", "parameters": ("named", SM2_CURVE)}, "public_key": b"\x04" + public}
    )
    usage = {"key_cert_sign", "crl_sign"} if ca else {"digital_signature", "non_repudiation"}
    extensions = [
        {
            "extn_id": "basic_constraints",
            "critical": True,
            "extn_value": {"ca": ca, "path_len_constraint": 0 if ca else None},
        },
        {"extn_id": "key_usage", "critical": True, "extn_value": usage},
        {"extn_id": "key_identifier", "critical": False, "extn_value": _key_identifier(public)},
        {
            "extn_id": "authority_key_identifier",
            "critical": False,
            "extn_value": {"key_identifier": _key_identifier(signing_key.public)},
        },
    ]
    tbs = asn1_x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": int.from_bytes(os.urandom(16), "big") >> 1,
            "signature": {"algorithm": SM2_WITH_SM3},
            "issuer": issuer,
            "validity": {"not_before": _time(now - dt.timedelta(minutes=5)), "not_after": _time(now + validity)},
            "subject": subject,
            "subject_public_key_info": key_info,
            "extensions": extensions,
        }
    )
    return asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": SM2_WITH_SM3},
            "signature_value": signing_key.sign(tbs.dump()),
        }
    )


def _time(moment: dt.datetime) -> asn1_x509.Time:
    """UTCTime until 2049, GeneralizedTime after (RFC 5280, 4.1.2.5)."""
    return asn1_x509.Time({"utc_time" if moment.year < 2050 else "general_time": moment})


def _key_identifier(public: bytes) -> bytes:
    """RFC 5280 method 1: SHA-1 of the public key bits (an identifier, not a security function)."""
    return hashlib.sha1(b"\x04" + public, usedforsecurity=False).digest()


def _load_or_create_key(path: Path, passphrase: bytes) -> Sm2Key:
    """The SM2 key in `path`, or a new one written there encrypted (mode 0600)."""
    if path.exists():
        return load_key(path, passphrase)
    public, private = gmssl_pyx.sm2_key_generate()
    key = Sm2Key(private, public)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(_encrypted_pkcs8(key, passphrase))
    return key


def _encrypted_pkcs8(key: Sm2Key, passphrase: bytes) -> bytes:
    """PEM "ENCRYPTED PRIVATE KEY": PKCS#8 of the EC key on the SM2 curve, under PBES2."""
    ec_key = keys.ECPrivateKey(
        {
            "version": "ecPrivkeyVer1",
            "private_key": int.from_bytes(key.private, "big"),
            "parameters": ("named", SM2_CURVE),
            "public_key": b"\x04" + key.public,
        }
    )
    info = keys.PrivateKeyInfo(
        {
            "version": 0,
            "private_key_algorithm": {"algorithm": "ec", "parameters": ("named", SM2_CURVE)},
            "private_key": ec_key,
        }
    )
    salt, iv = os.urandom(16), os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(info.dump()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_derive(passphrase, salt)), modes.CBC(iv)).encryptor()
    algorithm = algos.EncryptionAlgorithm(
        {
            "algorithm": "pbes2",
            "parameters": {
                "key_derivation_func": {
                    "algorithm": "pbkdf2",
                    "parameters": {
                        "salt": algos.Pbkdf2Salt(name="specified", value=salt),
                        "iteration_count": PBKDF2_ITERATIONS,
                        "prf": {"algorithm": "sha256"},
                    },
                },
                "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
            },
        }
    )
    encrypted = keys.EncryptedPrivateKeyInfo(
        {"encryption_algorithm": algorithm, "encrypted_data": encryptor.update(plain) + encryptor.finalize()}
    )
    return pem.armor("ENCRYPTED PRIVATE KEY", encrypted.dump())


def load_key(path: Path, passphrase: bytes) -> Sm2Key:
    """The SM2 key of an encrypted PKCS#8 file written by this module (PBES2, PBKDF2-SHA256, AES-256-CBC)."""
    data = Path(path).read_bytes()
    try:
        encrypted = keys.EncryptedPrivateKeyInfo.load(pem.unarmor(data)[2])
        algorithm = encrypted["encryption_algorithm"]
        parameters = algorithm["parameters"]
        kdf = parameters["key_derivation_func"]["parameters"]
        if (
            algorithm["algorithm"].native != "pbes2"
            or parameters["encryption_scheme"]["algorithm"].native != "aes256_cbc"
            or kdf["prf"]["algorithm"].native != "sha256"
        ):
            raise Sm2Error(f"{path}: unsupported key encryption")
        secret = _derive(passphrase, kdf["salt"].native, kdf["iteration_count"].native)
        decryptor = Cipher(
            algorithms.AES(secret), modes.CBC(parameters["encryption_scheme"]["parameters"].native)
        ).decryptor()
        padded = decryptor.update(encrypted["encrypted_data"].native) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        info = keys.PrivateKeyInfo.load(unpadder.update(padded) + unpadder.finalize())
        ec_key = info["private_key"].parsed
        private = ec_key["private_key"].native.to_bytes(32, "big")
        public = ec_key["public_key"].native[1:]
    except (ValueError, KeyError, TypeError) as error:
        raise Sm2Error(f"{path}: not an SM2 key for this passphrase") from error
    if info["private_key_algorithm"]["parameters"].chosen.dotted != SM2_CURVE:
        raise Sm2Error(f"{path} does not hold an SM2 key")
    return Sm2Key(private, public)


def _derive(passphrase: bytes, salt: bytes, iterations: int = PBKDF2_ITERATIONS) -> bytes:
    """The AES-256 key of the passphrase (PBKDF2-HMAC-SHA256)."""
    return PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(passphrase)


def sm3_digest(data: bytes) -> bytes:
    """SM3 of `data` (cryptography's OpenSSL SM3)."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()
