#!/usr/bin/env python
"""Benchmark of certificate issue: render + sign N certificates with a throw-away PKI; no database needed.

Prints median/p90 wall-clock milliseconds for rendering, signing and both, CPU milliseconds, the signed PDF sizes,
and the same certificate made the naive way (render_naive: fresh WeasyPrint set-up, system font, inline SVG marks).
Targets: total median <= 100 ms on the 2-core reference machine, every PDF <= 80 KB. `--check` exits 1 if missed.

    python scripts/bench_certificate.py [-n 50] [--naive 10] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.certificates.data import CertificateData, PartyLine  # noqa: E402
from app.certificates.pki import create_demo_pki, load_station_signer  # noqa: E402
from app.certificates.render import prepare, render_certificate, render_naive  # noqa: E402
from app.certificates.sign import sign_pdf  # noqa: E402
from app.certificates.verify import verify_pdf  # noqa: E402

TARGET_MS = 100.0
TARGET_KB = 80.0
STATION = ("130402", "邯郸市丛台区技术合同登记站")
PLACES = ["邯郸市", "邯山区", "丛台区", "复兴区", "峰峰矿区", "肥乡区", "永年区", "临漳县", "成安县", "大名县", "涉县"]
CORES = ["智造", "冀南", "钢研", "新材", "云图", "赵都", "磁州", "恒信", "晶元", "北斗", "禾丰", "瑞祥", "鑫源"]
RARE = ["𠀀", "𪚥", "𡃁", "𤭢", "㐀", "䶮", "𬌗", "𰻝"]  # CJK extensions A, B, C/E and G (𰻝 biáng)
TRADES = ["科技有限公司", "新材料股份有限公司", "信息技术有限公司", "精密机械有限公司", "生物科技有限公司", "研究院"]
TITLES = [
    "基于机器视觉的钢铁表面缺陷智能检测系统开发",
    "高强度耐候钢连铸工艺技术转让",
    "城市供热管网数字孪生平台技术服务",
    "小麦抗旱新品种选育技术许可",
    "锂电池正极材料回收工艺技术咨询",
    "煤矿井下巡检机器人委托开发",
]


def company(index: int) -> str:
    """A varied company name; every fourth one carries a rare character."""
    core = CORES[index % len(CORES)]
    if index % 4 == 1:
        core = core[0] + RARE[index // 4 % len(RARE)] + core[1:]
    return f"{PLACES[index % len(PLACES)]}{core}{TRADES[index % len(TRADES)]}"


def certificate(index: int) -> CertificateData:
    """The data of the index-th sample certificate."""
    number = f"{STATION[0]}2026{index + 1:06d}"
    signed = date(2026, 1, 5) + timedelta(days=index * 3)
    amount = Decimal(100000 + index * 137531) + Decimal(index % 100) / 100
    return CertificateData(
        registration_number=number,
        version=1 + index % 3,
        check_code=f"K{index:03d}Q2M9",
        verify_url=f"https://tcr.hd.gov.cn/verify/{number}?c=K{index:03d}Q2M9",
        title=TITLES[index % len(TITLES)],
        category="技术开发",
        subtype="委托开发",
        seller=PartyLine(company(index), f"91130402MA0{index:03d}DE1X", "河北省邯郸市丛台区"),
        buyer=PartyLine(company(index + 7), f"91130400105{index:03d}526J", "河北省邯郸市复兴区"),
        signed_on=signed,
        valid_from=signed + timedelta(days=3),
        valid_until=signed + timedelta(days=368),
        amount=amount,
        certified_technical_amount=(amount * Decimal("0.8")).quantize(Decimal("0.01")),
        technical_field="先进制造",
        station_name=STATION[1],
        station_code=STATION[0],
        registered_on=signed + timedelta(days=10),
        rule_set="技术合同认定规则（2026版）",
        issued_on=signed + timedelta(days=10),
        supersedes_version=index % 3 or None,
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def timed(function, *args, **kwargs):
    """(result, wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50, help="certificates to issue (default 50)")
    parser.add_argument("--naive", type=int, default=10, help="certificates to make the naive way (default 10)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        create_demo_pki(Path(directory), b"bench-passphrase", [STATION])
        signer = load_station_signer(Path(directory), STATION[0], b"bench-passphrase")
        root_pem = (Path(directory) / "root-ca.pem").read_bytes()

    _, setup_ms, _ = timed(prepare)
    _, first_ms, _ = timed(lambda: sign_pdf(render_certificate(certificate(999)), signer, reason="r", location="l"))
    render_ms, sign_ms, total_ms, total_cpu, sizes = [], [], [], [], []
    pdf = b""
    for index in range(args.n):
        unsigned, r_ms, r_cpu = timed(render_certificate, certificate(index))
        pdf, s_ms, s_cpu = timed(sign_pdf, unsigned, signer, reason="技术合同认定登记", location=STATION[1])
        render_ms.append(r_ms), sign_ms.append(s_ms), total_ms.append(r_ms + s_ms), total_cpu.append(r_cpu + s_cpu)
        sizes.append(len(pdf) / 1024)
    check = verify_pdf(pdf, root_pem)

    naive_ms, naive_sizes = [], []
    for index in range(args.naive):
        unsigned, r_ms, _ = timed(render_naive, certificate(index))
        signed, s_ms, _ = timed(sign_pdf, unsigned, signer, reason="r", location="l")
        naive_ms.append(r_ms + s_ms), naive_sizes.append(len(signed) / 1024)

    median_total = statistics.median(total_ms)
    print(
        f"load average during the run: {' '.join(f'{load:.2f}' for load in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs (other work on the machine slows every figure)"
    )
    print(f"set-up once per process: prepare {setup_ms:.0f} ms, first certificate {first_ms:.0f} ms")
    print(f"issued {args.n} certificates (render + sign), wall-clock ms:")
    for label, values in (("render", render_ms), ("sign", sign_ms), ("total", total_ms)):
        print(
            f"  {label:7} median {statistics.median(values):6.1f}   p90 {percentile(values, 0.9):6.1f}"
            f"   min {min(values):6.1f}"
        )
    print(f"  total CPU median {statistics.median(total_cpu):.1f} ms")
    print(f"signed PDF size: median {statistics.median(sizes):.1f} KB, max {max(sizes):.1f} KB")
    print(f"verification of the last one: {check.status} ({check.reason})")
    if naive_ms:
        naive_median = statistics.median(naive_ms)
        print(
            f"naive path ({args.naive}): total median {naive_median:.1f} ms, size median "
            f"{statistics.median(naive_sizes):.1f} KB; ratio naive/prepared {naive_median / median_total:.1f}x"
        )
    met = median_total <= TARGET_MS and max(sizes) <= TARGET_KB
    print(f"targets (median <= {TARGET_MS:.0f} ms, max <= {TARGET_KB:.0f} KB): {'met' if met else 'MISSED'}")
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
