#!/bin/sh
# Add Atelier to the desktop's application menu for this user (no root): writes
# ~/.local/share/applications/atelier.desktop pointing at this bundle, and the icon.
# Run it from the unpacked bundle: ./install-desktop-entry.sh   (--remove takes them away again)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry="$data/applications/atelier.desktop"
icon="$data/icons/hicolor/256x256/apps/atelier.png"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "Removed $entry and $icon"
    exit 0
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/share/atelier.png" "$icon"
# The path to the executable is quoted for the Exec key, so a folder with spaces works.
sed "s|@EXEC@|\"$here/atelier\"|" "$here/share/atelier.desktop" > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Installed $entry"
