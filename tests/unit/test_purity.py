"""core/ is pure: importing every module never pulls in streamlit."""

import pkgutil
import subprocess
import sys

from tests.conftest import ROOT


def test_core_never_imports_streamlit():
    modules = [m.name for m in pkgutil.iter_modules([str(ROOT / "core")])]
    assert "neuron" in modules and "training" in modules  # the check must see the real modules
    code = "import sys\n" + "".join(f"import core.{m}\n" for m in modules) + "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
