"""Shared helpers for the benchmark scripts: deterministic synthetic reviews and child-process timing."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

PRODUCTS = ["拯救者Y9000P 2023款", "小新Pro14", "ThinkPad X1 Carbon", "YOGA Air 14s", "moto edge 50", "y9000p", "小新 Pro 14"]
OPENERS = ["收到了，", "用了一周，", "第二次买了，", "给家人买的，", "双十一入手，", "", "", ""]
GOOD = ["屏幕很清晰", "运行流畅一点都不卡", "续航不错", "做工精致", "物流很快", "性价比高", "键盘手感舒服", "散热还可以", "音质不错", "客服态度很好"]
BAD = ["发热严重", "风扇噪音很大", "电池掉电快", "屏幕有漏光", "经常死机", "蓝牙老是断", "外壳有划痕", "快递太慢了", "客服不理人", "充电器发烫"]
LINKS = ["，", "，但是", "，不过", "，而且", "。"]
TAILS = ["。", "！", "，总体满意。", "，有点失望。", "～", ""]


def review_text(rng: random.Random) -> tuple[str, int]:
    """A ~60-character review and a star rating consistent with it."""
    n_good, n_bad = rng.randint(0, 3), rng.randint(0, 2)
    parts = rng.sample(GOOD, n_good) + rng.sample(BAD, n_bad)
    rng.shuffle(parts)
    text = rng.choice(OPENERS)
    for i, p in enumerate(parts):
        text += p + (rng.choice(LINKS) if i < len(parts) - 1 else rng.choice(TAILS))
    if not parts:
        text += "还行吧，一般般。"
    if rng.random() < 0.02:
        text += f"有问题打我电话1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}"
    while len(text) < 58:
        text += rng.choice(["整体来说还可以", "希望能耐用", "期待后续表现", "先用用看"]) + "。"
    rating = max(1, min(5, 3 + n_good - 2 * n_bad + rng.choice([-1, 0, 0, 1])))
    return text, rating


def write_reviews_csv(path: Path, n: int, seed: int = 7) -> Path:
    """JD-style CSV (UTF-8, Chinese headers), written streaming."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["评论ID", "商品名称", "评分", "评论内容", "评论时间", "会员等级"])
        for i in range(n):
            text, rating = review_text(rng)
            day = 1 + i % 28
            w.writerow([f"c{i}", rng.choice(PRODUCTS), rating, text,
                        f"2026/{9 + i % 3}/{day} {i % 24}:{i % 60:02d}", rng.choice(["PLUS", "金牌", "铜牌", ""])])
    return path


_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:])\n"
    "wall = time.perf_counter() - t0\n"
    "sys.stderr.write('\\nPEAK_KB=%d WALL_S=%r\\n' % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, wall))\n"
    "sys.exit(p.returncode)\n"
)


def compile_bytecode() -> None:
    """Write the installed voc package's bytecode, as ``pip install`` of a wheel does: an
    editable install has none, and where ``PYTHONDONTWRITEBYTECODE`` is set every run
    would compile the modules it imports from source (about 70 ms of `voc analyze`)."""
    import voc

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(voc.__file__).parent)], check=True)


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run a command in a fresh wrapper; return (seconds, its peak RSS in MB, stdout).

    The seconds are the command's own wall time, from its start to its exit (the
    wrapper's interpreter start-up is not counted). The peak is the largest resident set
    of the command or any process it waited for (worker processes included), measured
    for this command alone.
    """
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark command failed: {' '.join(args)}")
    wall, peak_mb = child_figures(proc.stderr)
    return wall, peak_mb, proc.stdout


def child_figures(stderr: str) -> tuple[float, float]:
    """``(wall seconds, peak RSS in MB)`` the wrapper of :func:`run_child` wrote last
    on a command's standard error."""
    tail = "PEAK_KB=" + stderr.rsplit("PEAK_KB=", 1)[1]
    fields = dict(field.split("=", 1) for field in tail.split())
    return float(fields["WALL_S"]), int(fields["PEAK_KB"]) / 1024


def report(name: str, figures: dict) -> None:
    print(json.dumps({"benchmark": name, **figures}, ensure_ascii=False))
