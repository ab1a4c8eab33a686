# Fogbank's Python bootstrap: starts the runtime in fogbank_runtime.py. It is imported, not run as
# a script, because Python caches the bytecode of imported modules only; compiling the runtime
# anew cost about 8 ms of every cold start. The sandbox runs with PYTHONDONTWRITEBYTECODE (no
# __pycache__ in the user's code, as /var/task is read-only on Lambda), so bytecode writing is on
# for this one import of our own file only.
import sys

_user_setting = sys.dont_write_bytecode
sys.dont_write_bytecode = False
import fogbank_runtime  # noqa: E402

sys.dont_write_bytecode = _user_setting
fogbank_runtime.main()
