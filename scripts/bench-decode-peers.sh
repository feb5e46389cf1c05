#!/usr/bin/env bash
# Installs the peer decoders that `spur bench decode` measures beside spur's own (ZBar from
# Debian, zxing-cpp from PyPI), only when they are missing. The product does not need them.
set -euo pipefail
py=${PYTHON:-python3}
if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then
  echo "installing: libzbar0 (ZBar)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libzbar0 >/dev/null
fi
missing=()
"$py" -c 'import zxingcpp' 2>/dev/null || missing+=(zxing-cpp)
"$py" -c 'import pyzbar.pyzbar' 2>/dev/null || missing+=(pyzbar)
"$py" -c 'import numpy' 2>/dev/null || missing+=(numpy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing (pip): ${missing[*]}"
  "$py" -m pip install --quiet "${missing[@]}"
fi
"$py" - <<'PY'
import zxingcpp, pyzbar.pyzbar, ctypes.util
print("peers ok: zxing-cpp", getattr(zxingcpp, "__version__", "?"),
      "| ZBar", ctypes.util.find_library("zbar"))
PY
