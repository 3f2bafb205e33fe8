#!/usr/bin/env bash
# Builds decay-tutor (release) and installs the binary, its man page and its
# bash/zsh/fish completions; --uninstall removes exactly what was installed.
#
#   scripts/install.sh [--prefix DIR] [--scratch-path DIR] [--no-build]
#   scripts/install.sh --uninstall [--prefix DIR]
#
# --no-build installs the release binary already in the scratch folder
# (CI installs the one its tests ran against, from `swift test -c release`,
# instead of building the package a second time without test imports).
#
# Without --prefix, everything goes to the usual per-user places:
#   ~/.local/bin/decay-tutor
#   ~/.local/share/man/man1/decay-tutor.1
#   ${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions/decay-tutor
#   ~/.local/share/zsh/site-functions/_decay-tutor
#   ${XDG_CONFIG_HOME:-~/.config}/fish/completions/decay-tutor.fish
# With --prefix DIR: DIR/bin, DIR/share/man/man1, DIR/share/bash-completion/
# completions, DIR/share/zsh/site-functions, DIR/share/fish/vendor_completions.d.
# What was installed (and which folders were created for it) is listed in
# PREFIX/share/decay-tutor/installed; --uninstall reads that list.
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 64; }

prefix="" scratch="" uninstall=0 build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#*=}"; shift ;;
        --scratch-path) [ $# -ge 2 ] || die "--scratch-path needs a folder"; scratch="$2"; shift 2 ;;
        --scratch-path=*) scratch="${1#*=}"; shift ;;
        --uninstall) uninstall=1; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

prefix_arg=""
if [ -n "$prefix" ]; then
    case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
    prefix_arg=" --prefix $prefix"
    bash_dir="$prefix/share/bash-completion/completions"
    fish_dir="$prefix/share/fish/vendor_completions.d"
else
    prefix="$HOME/.local"
    bash_dir="${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions"
    fish_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"
fi
bin_dir="$prefix/bin"
man_dir="$prefix/share/man/man1"
zsh_dir="$prefix/share/zsh/site-functions"
record_dir="$prefix/share/decay-tutor"
record="$record_dir/installed"

if [ "$uninstall" = 1 ]; then
    [ -f "$record" ] || { echo "Nothing to uninstall: no $record."; exit 0; }
    # Files first, then the record, then the folders install created (each
    # only if now empty; they are listed deepest first).
    files=$(sed -n 's/^file //p' "$record")
    dirs=$(sed -n 's/^dir //p' "$record")
    while IFS= read -r f; do
        [ -n "$f" ] || continue
        if [ -e "$f" ] || [ -L "$f" ]; then rm -f -- "$f" && echo "removed $f"; fi
    done <<<"$files"
    rm -f -- "$record"
    while IFS= read -r d; do
        [ -n "$d" ] || continue
        rmdir -- "$d" 2>/dev/null && echo "removed $d/" || true
    done <<<"$dirs"
    exit 0
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
scratch="${scratch:-$repo/.build}"
case "$scratch" in /*) ;; *) scratch="$repo/$scratch" ;; esac

binary="$scratch/release/decay-tutor"
if [ "$build" = 1 ]; then
    echo "Building (release)…"
    swift build -c release --scratch-path "$scratch"
    [ -x "$binary" ] || die "no binary at $binary after the build"
else
    [ -x "$binary" ] || die "--no-build: no release binary at $binary (build it first)"
fi

echo "Generating the man page from the command's help…"
# swift-argument-parser's generate-manual tool reads the binary's own help
# (--experimental-dump-help), so the page matches the installed command.
# (Called directly: its `swift package generate-manual` plugin would rebuild
# the whole package in a second configuration first.)
swift build --scratch-path "$scratch" --product generate-manual
pages=$(mktemp -d) stage=$(mktemp -d)
trap 'rm -rf -- "$pages" "$stage"' EXIT
# The tool drops every non-ASCII character, so the help it reads spells the
# symbols in ASCII first (λ → lambda, … → ..., as --ascii does on screen).
cat > "$stage/ascii-help" <<WRAPPER
#!/bin/sh
"$binary" "\$@" | LC_ALL=C sed -e 's/λ/lambda/g; s/…/.../g; s/·/*/g; s/≥/>=/g; s/≤/<=/g; s/Π/prod /g' \\
    -e 's/−/-/g; s/–/-/g; s/—/--/g; s/τ/tau/g; s/‖/|/g; s/≈/~/g; s/×/x/g; s/√/sqrt/g; s/→/->/g'
WRAPPER
chmod +x "$stage/ascii-help"
left=$("$stage/ascii-help" --experimental-dump-help | LC_ALL=C tr -d '\000-\177')
[ -z "$left" ] || echo "warning: the man page drops characters it has no ASCII spelling for: $left" >&2
"$scratch/debug/generate-manual" "$stage/ascii-help" --output-directory "$pages"
[ -s "$pages/decay-tutor.1" ] || die "generate-manual wrote no decay-tutor.1"
# A blank line in the help becomes a blank roff line, which mdoc warns about
# on every `man`; a paragraph break (.Pp) says the same thing.
page="$stage/decay-tutor.1"
sed 's/^$/.Pp/' "$pages/decay-tutor.1" > "$page"

for shell in bash zsh fish; do
    "$binary" --generate-completion-script "$shell" > "$stage/$shell"
    [ -s "$stage/$shell" ] || die "no $shell completion script from $binary"
done

# Folders this install creates, deepest first; kept from an earlier install.
created=()
[ -f "$record" ] && while IFS= read -r d; do created+=("$d"); done < <(sed -n 's/^dir //p' "$record")
make_dir() {
    local d="$1" missing=()
    while [ ! -d "$d" ]; do missing+=("$d"); d=$(dirname "$d"); done
    mkdir -p -- "$1"
    # (The ${a[@]+…} form: macOS's bash 3.2 calls an empty array unbound under set -u.)
    [ ${#missing[@]} -eq 0 ] || created=("${missing[@]}" ${created[@]+"${created[@]}"})
}
installed=()
put() {  # put MODE SOURCE DEST
    make_dir "$(dirname "$3")"
    install -m "$1" "$2" "$3"
    installed+=("$3")
    echo "installed $3"
}
put 755 "$binary" "$bin_dir/decay-tutor"
put 644 "$page" "$man_dir/decay-tutor.1"
put 644 "$stage/bash" "$bash_dir/decay-tutor"
put 644 "$stage/zsh" "$zsh_dir/_decay-tutor"
put 644 "$stage/fish" "$fish_dir/decay-tutor.fish"
make_dir "$record_dir"
{
    for f in "${installed[@]}"; do echo "file $f"; done
    for d in ${created[@]+"${created[@]}"}; do echo "dir $d"; done
} > "$record"

case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "Note: $bin_dir is not on your PATH; add it (e.g. export PATH=\"$bin_dir:\$PATH\")." ;;
esac
echo "zsh: add $zsh_dir to fpath before compinit (see the README)."
echo "Uninstall with: scripts/install.sh --uninstall${prefix_arg:-}"
