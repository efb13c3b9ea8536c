#!/bin/sh
# Installs "the usual tools" that `cargo bench --bench pipeline` compares modulpress with:
# pandoc 3 (the binary inside PyPI's pypandoc-binary wheel) and typst (PyPI's `typst`,
# Python bindings of the Typst compiler 0.15), in a venv. It writes DIR/usual-bin/pandoc
# and DIR/usual-bin/typst, a small `typst compile IN OUT [--root DIR] [--font-path DIR]
# [--ignore-system-fonts]` over the
# bindings; the bench finds them there (or through MODULPRESS_BENCH_PANDOC and
# MODULPRESS_BENCH_TYPST, or PATH). Debian's pandoc 2.17 has no typst writer.
#
#   sh benches/usual-tools.sh [DIR]      (DIR defaults to /var/tmp/usual-tools)
set -eu
DIR=${1:-/var/tmp/usual-tools}
python3 -m venv "$DIR"
"$DIR/bin/pip" install -q pypandoc-binary typst
mkdir -p "$DIR/usual-bin"
ln -sf "$(ls "$DIR"/lib/python3*/site-packages/pypandoc/files/pandoc)" "$DIR/usual-bin/pandoc"
cat > "$DIR/usual-bin/typst" <<EOF
#!$DIR/bin/python
"""typst compile IN [OUT] [--root DIR] [--font-path DIR]... [--ignore-system-fonts] and
typst --version, over PyPI's typst bindings."""
import sys
import typst

args = sys.argv[1:]
if args[:1] in (["--version"], ["-V"]):
    print("typst (python bindings)", typst.__version__)
    sys.exit(0)
if args[:1] not in (["compile"], ["c"]):
    sys.exit("usage: typst compile IN [OUT] [--root DIR] [--font-path DIR]... [--ignore-system-fonts]")
files, fonts, root, system, rest = [], [], None, True, args[1:]
while rest:
    a = rest.pop(0)
    if a == "--root":
        root = rest.pop(0)
    elif a == "--ignore-system-fonts":
        system = False
    elif a == "--font-path":
        fonts.append(rest.pop(0))
    elif a.startswith("--font-path="):
        fonts.append(a.split("=", 1)[1])
    else:
        files.append(a)
out = files[1] if len(files) > 1 else files[0].rsplit(".", 1)[0] + ".pdf"
try:
    typst.compile(files[0], output=out, root=root, font_paths=fonts, ignore_system_fonts=not system)
except typst.TypstError as e:
    sys.exit(f"error: {e.message}\n{e.diagnostic}")
EOF
chmod +x "$DIR/usual-bin/typst"
"$DIR/usual-bin/pandoc" --version | head -1
"$DIR/usual-bin/typst" --version
