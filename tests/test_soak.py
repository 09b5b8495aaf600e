"""The soak script runs (a short time here; 30 minutes by hand) and the app's memory stays
within bounds while every worker runs free."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parent.parent / "scripts" / "soak.py"


@pytest.mark.timeout(120)
def test_a_short_soak_prints_the_memory_at_start_and_end_and_stays_bounded():
    done = subprocess.run(
        [sys.executable, str(SOAK), "--seconds", "15", "--warm-up", "5", "--max-growth", "30"],
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^start: [\d.]+ MB resident", done.stdout, re.M), done.stdout
    assert re.search(r"^end: [\d.]+ MB resident; growth [+-][\d.]+ MB", done.stdout, re.M)
