#ifndef DECAY_TUTOR_CNCURSESW_SHIM_H
#define DECAY_TUTOR_CNCURSESW_SHIM_H
// The wide-character API (get_wch, add_wch, setcchar) is only declared when
// NCURSES_WIDECHAR / _XOPEN_SOURCE_EXTENDED are set before the header is read.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
// Linux (libncurses-dev) and Homebrew's ncurses (through pkg-config's -I)
// have <ncursesw/curses.h>; macOS's SDK has the wide-capable <curses.h> only.
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#endif
