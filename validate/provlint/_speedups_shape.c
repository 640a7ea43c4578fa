/* Line shapes (checks.prose.shape_parts) for provlint._speedups. */
#include "_speedups.h"

/* ---- line shapes --------------------------------------------------------- */

/* Every per-character helper is inlined into shape_of_view, which is inlined twice, once
 * with the kind a constant 1: most lines are ASCII or Latin-1, and AT() then reads a byte
 * with no switch on the kind. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static const Py_UCS4 BULLETS[] = {'*', '+', '-', 0x2022, 0xb7, 0x25aa, 0x25e6, 0x2023};
static const Py_UCS4 TERMINAL[] = {'.', '!', '?', 0x2026, ':', ';', '"', '\'', 0x201d, 0x2019,
                                   0xbb, ')', ']', 0x3002, 0xff01, 0xff1f, 0xff61, 0xff0e,
                                   0x300d, 0x300f, 0xff09};
static const Py_UCS4 TRAIL_DECOR[] = {'*', '_', ' ', '\t', 0xa0};
static const Py_UCS4 WORD_JOIN[] = {'\'', 0x2019, '.', '-'};

static ALWAYS_INLINE Py_ssize_t
skip_space(View v, Py_ssize_t i)
{
    while (i < v.n && ISSPACE(AT(v, i)))
        i++;
    return i;
}

/* Length of the run of decimal digits at i. */
static ALWAYS_INLINE Py_ssize_t
digit_run(View v, Py_ssize_t i)
{
    Py_ssize_t j = i;
    while (j < v.n && is_decimal(AT(v, j)))
        j++;
    return j - i;
}

/* A list marker at p, "[*+\-•·▪◦‣]\s+" or "\d{1,3}[.)]\s+": the index after it
 * and its spaces, or -1; *numbered says which. */
static ALWAYS_INLINE Py_ssize_t
list_marker(View v, Py_ssize_t p, int *numbered)
{
    *numbered = 0;
    if (in_set(AT(v, p), BULLETS, COUNT(BULLETS)) && p + 1 < v.n && ISSPACE(AT(v, p + 1)))
        return skip_space(v, p + 1);
    Py_ssize_t k = digit_run(v, p);  /* \d{1,3} backs off into a digit: the run must fit */
    if (k < 1 || k > 3 || p + k + 1 >= v.n)
        return -1;
    Py_UCS4 d = AT(v, p + k);
    if (!((d == '.' || d == ')') && ISSPACE(AT(v, p + k + 1))))
        return -1;
    *numbered = 1;
    return skip_space(v, p + k + 1);
}

/* prose._DECOR_RE.match(text).end(), or 0 when it does not match:
 * ^\s*(?:#{1,6}\s+|>\s*|[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+|[*_]{1,3}(?=\S)) */
static ALWAYS_INLINE Py_ssize_t
decor_end(View v)
{
    Py_ssize_t p = skip_space(v, 0);
    if (p >= v.n)
        return 0;
    Py_UCS4 c = AT(v, p);
    Py_ssize_t k = 0;
    if (c == '#') {
        while (p + k < v.n && AT(v, p + k) == '#')
            k++;
        if (k <= 6 && p + k < v.n && ISSPACE(AT(v, p + k)))
            return skip_space(v, p + k);
    }
    if (c == '>')
        return skip_space(v, p + 1);
    int numbered;
    Py_ssize_t end = list_marker(v, p, &numbered);
    if (end >= 0)
        return end;
    k = 0;
    while (k < 3 && p + k < v.n && (AT(v, p + k) == '*' || AT(v, p + k) == '_'))
        k++;
    for (; k >= 1; k--)  /* greedy, then backs off: (?=\S) after the run */
        if (p + k < v.n && !ISSPACE(AT(v, p + k)))
            return p + k;
    return 0;
}

/* bool(prose._LIST_RE.match(text)): ^\s*(?:[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+\S) */
static ALWAYS_INLINE int
is_list(View v)
{
    Py_ssize_t p = skip_space(v, 0);
    if (p >= v.n)
        return 0;
    int numbered;
    Py_ssize_t end = list_marker(v, p, &numbered);
    return end >= 0 && (!numbered || end < v.n);
}

static ALWAYS_INLINE int
is_cjk(Py_UCS4 c)
{
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf)
           || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)
           || (c >= 0xf900 && c <= 0xfaff);
}

/* _SIMPLE_RE.fullmatch over [lo, hi): [A-Za-z0-9]+(?:[ ,;]+[A-Za-z0-9]+)*[.!?:;,]? */
static ALWAYS_INLINE int
simple_fullmatch(View v, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_ssize_t i = lo;
    if (i >= hi || !is_ascii_alnum(AT(v, i)))
        return 0;
    for (;;) {
        while (i < hi && is_ascii_alnum(AT(v, i)))
            i++;
        Py_ssize_t j = i;
        while (j < hi && (AT(v, j) == ' ' || AT(v, j) == ',' || AT(v, j) == ';'))
            j++;
        if (j == i || j >= hi || !is_ascii_alnum(AT(v, j)))
            break;
        i = j;
    }
    if (i == hi)
        return 1;
    Py_UCS4 c = AT(v, i);
    return i + 1 == hi && (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ',');
}

/* len(_WORD_RE.findall(...)) over [lo, hi), CJK characters counting as
 * breaks when ``cjk_breaks``: [^\W_]+(?:['’.-][^\W_]+)* */
static ALWAYS_INLINE Py_ssize_t
word_matches(View v, Py_ssize_t lo, Py_ssize_t hi, int cjk_breaks)
{
#define ALNUM(c) (is_alnum(c) && !(cjk_breaks && is_cjk(c)))
    Py_ssize_t count = 0, i = lo;
    while (i < hi) {
        if (!ALNUM(AT(v, i))) {
            i++;
            continue;
        }
        count++;
        for (;;) {
            while (i < hi && ALNUM(AT(v, i)))
                i++;
            if (i + 1 < hi && in_set(AT(v, i), WORD_JOIN, COUNT(WORD_JOIN))
                && ALNUM(AT(v, i + 1)))
                i++;
            else
                break;
        }
    }
    return count;
#undef ALNUM
}

/* prose.words_of(text[lo:hi]) */
static ALWAYS_INLINE Py_ssize_t
words_in(View v, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_UCS4 bits = 0;  /* every character's bits: below 0x80 when all are ASCII */
    Py_ssize_t cjk = 0;
    if (v.kind == PyUnicode_1BYTE_KIND) {  /* no CJK character fits in a byte */
        for (Py_ssize_t i = lo; i < hi; i++)
            bits |= AT(v, i);
    }
    else {
        for (Py_ssize_t i = lo; i < hi; i++) {
            Py_UCS4 c = AT(v, i);
            bits |= c;
            if (c >= 0x3040)  /* below the lowest CJK block: one test */
                cjk += is_cjk(c);
        }
    }
    if (bits < 0x80) {
        if (!simple_fullmatch(v, lo, hi))
            return word_matches(v, lo, hi, 0);
        Py_ssize_t words = 0;  /* len(text.split()): the starts of runs of non-space */
        int after_space = 1;
        for (Py_ssize_t i = lo; i < hi; i++) {
            int space = ISSPACE(AT(v, i)) != 0;
            words += after_space && !space;
            after_space = space;
        }
        return words;
    }
    if (cjk)
        return word_matches(v, lo, hi, 1) + (cjk + 1) / 2;
    return word_matches(v, lo, hi, 0);
}

static const Py_UCS4 JOINERS[] = {',', ';', '('};

/* bool(prose._HEADING_RE.match(text)): ^\s*(?:#|\*\*|__), with ``first`` the
 * index of the first character that is not white space (-1: none). */
static ALWAYS_INLINE int
is_heading(View v, Py_ssize_t first)
{
    if (first < 0)
        return 0;
    Py_UCS4 c = AT(v, first);
    return c == '#' || ((c == '*' || c == '_') && first + 1 < v.n && AT(v, first + 1) == c);
}

static ALWAYS_INLINE int
is_digit(Py_UCS4 c)
{
    return c < 128 ? c >= '0' && c <= '9' : Py_UNICODE_ISDIGIT(c);
}

static ALWAYS_INLINE int
is_lower(Py_UCS4 c)
{
    return c < 128 ? c >= 'a' && c <= 'z' : Py_UNICODE_ISLOWER(c);
}

/* prose._menu_form over the stripped text [first, last] (first < 0: blank):
 * no heading markup, no joiner at either end, the first letter or digit not
 * lowercase, and no digit when the line has five words or fewer. */
static ALWAYS_INLINE int
menu_form(View v, Py_ssize_t first, Py_ssize_t last, Py_ssize_t words, int ruled_out)
{
    if (ruled_out || is_heading(v, first))
        return 0;
    if (first >= 0 && (in_set(AT(v, first), JOINERS, COUNT(JOINERS))
                       || in_set(AT(v, last), JOINERS, COUNT(JOINERS))))
        return 0;
    /* a digit is alphanumeric (str.isdigit implies str.isalnum): none comes before the
     * first letter or digit, and without one there is no digit at all */
    Py_ssize_t i = 0;
    while (i < v.n && !is_alnum(AT(v, i)))
        i++;
    if (i == v.n)
        return 1;
    if (is_lower(AT(v, i)))
        return 0;
    if (words > 5)
        return 1;
    for (; i < v.n; i++)
        if (is_digit(AT(v, i)))
            return 0;
    return 1;
}

/* prose._symbol_only: a non-blank text without a letter or digit. Categories
 * L and N are exactly the characters str.isalnum() holds for (test_native
 * checks every code point). */
static ALWAYS_INLINE int
symbol_only(View v, Py_ssize_t first)
{
    if (first < 0)
        return 0;
    for (Py_ssize_t i = first; i < v.n; i++)
        if (is_alnum(AT(v, i)))
            return 0;
    return 1;
}

/* text.count("|") >= 2; one-byte text is searched with memchr. */
static ALWAYS_INLINE int
has_two_bars(View v)
{
    if (v.kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *p = v.data, *end = p + v.n;
        const Py_UCS1 *bar = memchr(p, '|', (size_t)v.n);
        return bar != NULL && memchr(bar + 1, '|', (size_t)(end - bar - 1)) != NULL;
    }
    int bars = 0;
    for (Py_ssize_t i = 0; i < v.n; i++)
        if (AT(v, i) == '|' && ++bars == 2)
            return 1;
    return 0;
}

/* A tab among the characters [lo, hi) (none when hi <= lo). */
static ALWAYS_INLINE int
has_tab(View v, Py_ssize_t lo, Py_ssize_t hi)
{
    if (hi <= lo)
        return 0;
    if (v.kind == PyUnicode_1BYTE_KIND)
        return memchr((const Py_UCS1 *)v.data + lo, '\t', (size_t)(hi - lo)) != NULL;
    for (Py_ssize_t i = lo; i < hi; i++)
        if (AT(v, i) == '\t')
            return 1;
    return 0;
}

static ALWAYS_INLINE PyObject *shape_of_view(View v, PyTypeObject *shape_type);

/* prose.shape_parts: (words, terminal, listy, table, symbol, menu), as an
 * instance of ``shape_type`` (a tuple subclass: prose.Shape) when one is given. */
PyObject *
speedups_shape_parts(PyObject *self, PyObject *args)
{
    PyObject *text;
    PyTypeObject *shape_type = &PyTuple_Type;
    if (!PyArg_ParseTuple(args, "O|O!:shape_parts", &text, &PyType_Type, &shape_type))
        return NULL;
    if (!PyType_IsSubtype(shape_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "shape_type must be a tuple subclass");
        return NULL;
    }
    return shape_record(text, shape_type);
}

PyObject *
shape_record(PyObject *text, PyTypeObject *shape_type)
{
    if (!need_str(text, "shape_parts"))
        return NULL;
    View v = view_of(text);
    if (v.kind == PyUnicode_1BYTE_KIND) {  /* most lines: AT() without its switch on the kind */
        View v1 = {PyUnicode_1BYTE_KIND, v.data, v.n};
        return shape_of_view(v1, shape_type);
    }
    return shape_of_view(v, shape_type);
}

/* speedups_shape_parts's work on the characters ``v``; inlined for a constant kind. */
static ALWAYS_INLINE PyObject *
shape_of_view(View v, PyTypeObject *shape_type)
{
    Py_ssize_t lo = decor_end(v), hi = v.n;
    while (hi > lo && in_set(AT(v, hi - 1), TRAIL_DECOR, COUNT(TRAIL_DECOR)))
        hi--;
    int terminal = hi > lo && in_set(AT(v, hi - 1), TERMINAL, COUNT(TERMINAL));
    /* the first and last characters that are not white space (-1: none), walked in
     * from both ends; whether two bars or a tab between them make a table row */
    Py_ssize_t first = skip_space(v, 0), last = v.n - 1;
    if (first == v.n)
        first = last = -1;
    else
        while (ISSPACE(AT(v, last)))
            last--;
    int table = has_two_bars(v) || (first >= 0 && has_tab(v, first + 1, last));
    Py_ssize_t words = words_in(v, lo, hi);
    int listy = is_list(v);
    PyObject *items[6] = {PyLong_FromSsize_t(words), PyBool_FromLong(terminal),
                          PyBool_FromLong(listy), PyBool_FromLong(table),
                          PyBool_FromLong(symbol_only(v, first)),
                          PyBool_FromLong(menu_form(v, first, last, words,
                                                    terminal || listy || table))};
    return record_of(shape_type, items, 6);
}

/* ---- the main prose block ------------------------------------------------ */

#define SHAPE_WORDS 0
#define SHAPE_TERMINAL 1
#define SHAPE_SYMBOL 4
#define SHAPE_MENU 5

#define IS_PROSE(words, terminal) (((words) >= 8 && (terminal)) || (words) >= 18)  /* Shape.prose */

/* The word count of a Shape-like tuple in *words; -1 with an error set when
 * it is not one. */
static int
words_of_shape(PyObject *s, long *words)
{
    if (!PyTuple_Check(s) || PyTuple_GET_SIZE(s) < 6) {
        PyErr_SetString(PyExc_TypeError, "expected prose.Shape values or None");
        return -1;
    }
    *words = PyLong_AsLong(PyTuple_GET_ITEM(s, SHAPE_WORDS));
    return *words == -1 && PyErr_Occurred() ? -1 : 0;
}

/* The gain of a Shape-like tuple (see prose._main_block) in *gain; -1 with
 * an error set when it is not one. */
static int
gain_of(PyObject *s, double penalty, double *gain)
{
    long words;
    if (words_of_shape(s, &words) < 0)
        return -1;
    int terminal = PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_TERMINAL));
    int symbol = terminal < 0 ? -1 : PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_SYMBOL));
    int menu = symbol < 0 ? -1 : PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_MENU));
    if (menu < 0)
        return -1;
    if (IS_PROSE(words, terminal))
        *gain = (double)words;
    else if (symbol || (menu && words <= 5))  /* Shape.nav() */
        *gain = -penalty;
    else
        *gain = 0.5;  /* prose._OTHER_GAIN */
    return 0;
}

/* prose._main_block: Kadane's maximum run of the lines' gains: (first, last). */
PyObject *
speedups_main_block(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    double penalty;
    if (!PyArg_ParseTuple(args, "Od:main_block", &shapes, &penalty))
        return NULL;
    PyObject *seq = PySequence_Fast(shapes, "shapes must be a sequence");
    if (seq == NULL)
        return NULL;
    double best = 0.0, run = 0.0;
    Py_ssize_t first = -1, last = -1, start = -1;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
        if (s == Py_None)
            continue;
        double gain;
        if (gain_of(s, penalty, &gain) < 0) {
            Py_DECREF(seq);
            return NULL;
        }
        if (run <= 0) {
            if (gain <= 0)
                continue;
            run = gain;
            start = i;
        }
        else {
            run += gain;
        }
        if (run > best) {
            best = run;
            first = start;
            last = i;
        }
    }
    Py_DECREF(seq);
    return Py_BuildValue("(nn)", first, last);
}

/* Shape.prose of a Shape-like tuple or None (None: 0); -1 with an error set. */
static int
prose_of(PyObject *s)
{
    if (s == Py_None)
        return 0;
    long words;
    if (words_of_shape(s, &words) < 0)
        return -1;
    if (words >= 18)
        return 1;
    if (words < 8)
        return 0;
    int terminal = PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_TERMINAL));
    return terminal < 0 ? -1 : IS_PROSE(words, terminal);
}

/* metadata._prose_span_py: the first and last prose lines among shapes[lo..hi]
 * (both ends inside), or (-1, -1); walked in from both ends. */
PyObject *
speedups_prose_span(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "O!nn:prose_span", &PyTuple_Type, &shapes, &lo, &hi))
        return NULL;
    if (lo < 0)
        lo = 0;
    if (hi >= PyTuple_GET_SIZE(shapes))
        hi = PyTuple_GET_SIZE(shapes) - 1;
    Py_ssize_t first = -1, last = -1;
    for (Py_ssize_t k = lo; k <= hi && first < 0; k++) {
        int prose = prose_of(PyTuple_GET_ITEM(shapes, k));
        if (prose < 0)
            return NULL;
        if (prose)
            first = k;
    }
    for (Py_ssize_t k = hi; first >= 0 && last < 0; k--) {  /* stops at first at the latest */
        int prose = prose_of(PyTuple_GET_ITEM(shapes, k));
        if (prose < 0)
            return NULL;
        if (prose)
            last = k;
    }
    return Py_BuildValue("(nn)", first, last);
}
