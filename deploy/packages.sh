# Sourced by deploy/run and deploy/test: installs the Debian packages that are missing.
KEN_BUILD_PACKAGES="build-essential cmake pkg-config libcivetweb-dev libsqlite3-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libxml2-dev libsodium-dev libjansson-dev libcurl4-openssl-dev"

ken_install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
