#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvsadm's --help and man/uvsadm.8 must list the same options: every long
# (--name) and short (-x) option that one mentions, the other mentions
# too.  Options are taken from the help text as written words, and from
# the page's Fl macros (".Fl A | E", ".It Fl t , \-tcp\-service Ar ...",
# ".Op Fl \-socket Ar path").  Exit: 0 same, 1 different (the differences
# are listed), 77 (skip) when uvsadm is not built.

set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${UVS_SRCDIR:-$(cd "$here/.." && pwd)}
builddir=${UVS_BUILDDIR:-$srcdir}
uvsadm=${UVSADM:-$builddir/uvsadm}
page=$srcdir/man/uvsadm.8

if [ ! -x "$uvsadm" ]; then
	echo "man-options: $uvsadm not built, skipping"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/uvs-manopt.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

if ! "$uvsadm" --help >"$work/help.txt" 2>&1; then
	echo "man-options: uvsadm --help failed"
	exit 1
fi

# The help text: its words, split at blanks and at | , [ ] ( ), that are
# --long or -x.
tr '|,[]()\t' '        ' <"$work/help.txt" | tr ' ' '\n' |
    grep -E -- '^(--[a-z][a-z0-9-]*|-[A-Za-z0-9])$' | sort -u >"$work/help.opts"

# The page: the words after each Fl up to the next macro; "\-x" is a long
# option, letters are short ones ("Fl Ln" is -L and -n).
awk '
{
	for (i = 1; i <= NF; i++) {
		if ($i != "Fl" && $i != ".Fl")
			continue
		for (j = i + 1; j <= NF; j++) {
			w = $j
			if (w == "," || w == "|")
				continue
			if (w ~ /^[A-Z][a-z][a-z]?$/ && w != "Ln")
				break
			gsub(/\\-/, "-", w)
			sub(/[,.]$/, "", w)
			if (w ~ /^-[a-z][a-z0-9-]*$/) {
				print "-" w
				continue
			}
			if (w ~ /^[A-Za-z0-9]+$/) {
				for (k = 1; k <= length(w); k++)
					print "-" substr(w, k, 1)
				continue
			}
			break
		}
	}
}' "$page" | sort -u >"$work/man.opts"

if cmp -s "$work/help.opts" "$work/man.opts"; then
	echo "man-options: ok, $(wc -l <"$work/man.opts") options in both"
	exit 0
fi
echo "man-options: FAIL: uvsadm --help and man/uvsadm.8 differ"
comm -23 "$work/help.opts" "$work/man.opts" | sed 's/^/  only in --help: /'
comm -13 "$work/help.opts" "$work/man.opts" | sed 's/^/  only in uvsadm.8: /'
exit 1
