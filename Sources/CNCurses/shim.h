// ncursesw with the wide-character API; static inline wrappers for what Swift cannot import
// (macros and globals).
#ifndef BINNACLE_CNCURSES_SHIM_H
#define BINNACLE_CNCURSES_SHIM_H
#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *binnacle_stdscr(void) { return stdscr; }
static inline int binnacle_lines(void) { return LINES; }
static inline int binnacle_cols(void) { return COLS; }
static inline int binnacle_colors(void) { return COLORS; }
static inline attr_t binnacle_color_pair(short n) { return COLOR_PAIR(n); }
static inline attr_t binnacle_a_bold(void) { return A_BOLD; }
static inline attr_t binnacle_a_reverse(void) { return A_REVERSE; }
static inline attr_t binnacle_a_underline(void) { return A_UNDERLINE; }
static inline attr_t binnacle_a_dim(void) { return A_DIM; }
static inline attr_t binnacle_a_normal(void) { return A_NORMAL; }
static inline int binnacle_key_code_yes(void) { return KEY_CODE_YES; }
static inline mmask_t binnacle_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
/// A mouse event: -1 wheel up, 1 wheel down, 2 a click of the first button at (*x, *y) (pressed or
/// clicked; its release is not another click), 3 a double or triple click there (two clicks: select,
/// then open), 0 anything else.
static inline int binnacle_mouse_event(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (event.bstate & BUTTON4_PRESSED) return -1;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 1;
#endif
    if (event.bstate & (BUTTON1_DOUBLE_CLICKED | BUTTON1_TRIPLE_CLICKED)) { *x = event.x; *y = event.y; return 3; }
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) { *x = event.x; *y = event.y; return 2; }
    return 0;
}
/// How many wide characters one cell holds, and how many columns the C library gives a character.
static inline int binnacle_ccharw_max(void) { return CCHARW_MAX; }
static inline int binnacle_wcwidth(wchar_t c) { return wcwidth(c); }
/// Writes `count` wide characters at (y, x) with the given attributes and colour pair.
static inline int binnacle_put(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    return mvaddnwstr(y, x, text, count);
}

#include <ncursesw/term.h>
/// 0 when $TERM names a terminal that can draw the dashboard; 1 when terminfo does not know it (or
/// TERM is unset); 2 when it cannot move the cursor (e.g. TERM=dumb). Checked before initscr, which
/// would otherwise exit with ncurses' own message, or draw one garbled line.
static inline int binnacle_terminal_problem(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return 1;
    char *cup = tigetstr("cup");
    int problem = (cup == NULL || cup == (char *)-1) ? 2 : 0;
    del_curterm(cur_term);
    return problem;
}
#endif
