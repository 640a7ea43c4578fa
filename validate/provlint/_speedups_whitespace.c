/* Scans of the white-space and encoding rules for provlint._speedups.
 *
 * Each function's pure-Python twin is named in its comment and is the
 * specification; tests/test_native.py compares the two.
 */
#include "_speedups.h"

#include <string.h>

/* ---- PL103: encoding.has_control ------------------------------------------ */

/* encoding._CONTROL_RE's class: C0 controls but tab, LF and CR; DEL; C1 controls. Written
 * without branches and in the width T of the text's characters (the subtraction wraps in
 * T: below DEL it lands above 0x20), so that the compiler tests as many characters at
 * once as fit a vector register (2-3x faster than in 32-bit lanes). */
#define IS_CONTROL(T, c) ((((T)(c) < 0x20) & ((T)(c) != '\t') & ((T)(c) != '\n')          \
                           & ((T)(c) != '\r')) | ((T)((T)(c) - 0x7f) <= 0x20))

/* Whether the n characters at d (of type T) hold a control: blocks of 256 are tested
 * whole, so the loop has no exit per character. */
#define ANY_CONTROL(T, d, n)                                                      \
    do {                                                                          \
        const T *p_ = (const T *)(d);                                             \
        for (Py_ssize_t i_ = 0; i_ < (n); i_ += 256) {                            \
            Py_ssize_t end_ = i_ + 256 < (n) ? i_ + 256 : (n);                    \
            T acc_ = 0;                                                           \
            for (Py_ssize_t k_ = i_; k_ < end_; k_++)                             \
                acc_ |= (T)IS_CONTROL(T, p_[k_]);                                 \
            if (acc_)                                                             \
                Py_RETURN_TRUE;                                                   \
        }                                                                         \
    } while (0)

/* encoding.has_control(text) -> bool */
PyObject *
speedups_has_control(PyObject *self, PyObject *text)
{
    if (!need_str(text, "has_control"))
        return NULL;
    View v = view_of(text);
    if (v.kind == PyUnicode_1BYTE_KIND)
        ANY_CONTROL(Py_UCS1, v.data, v.n);
    else if (v.kind == PyUnicode_2BYTE_KIND)
        ANY_CONTROL(Py_UCS2, v.data, v.n);
    else
        ANY_CONTROL(Py_UCS4, v.data, v.n);
    Py_RETURN_FALSE;
}

/* ---- PL001: whitespace._trailing_py --------------------------------------- */

/* Append (start, end) to out; -1 on error. */
static int
append_pair(PyObject *out, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *a = int_of(start), *b = int_of(end), *pair = NULL;
    if (a != NULL && b != NULL)
        pair = PyTuple_Pack(2, a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
    if (pair == NULL)
        return -1;
    int rc = PyList_Append(out, pair);
    Py_DECREF(pair);
    return rc;
}

/* The first CR or LF at or after p, or n. A text of one byte a character without CR
 * (most texts) is searched with memchr, which jumps from newline to newline. */
static inline Py_ssize_t
next_eol(View v, int no_cr, Py_ssize_t p)
{
    if (no_cr) {
        const Py_UCS1 *d = (const Py_UCS1 *)v.data;
        const void *hit = memchr(d + p, '\n', (size_t)(v.n - p));
        return hit == NULL ? v.n : (const Py_UCS1 *)hit - d;
    }
    while (p < v.n) {
        Py_UCS4 c = AT(v, p);
        if (c == '\n' || c == '\r')
            break;
        p++;
    }
    return p;
}

/* Append (start, p) when white space ends at p (a line end, or the text's end): the run
 * of white space before p, if any. 0, or -1 on error. */
static int
ws_run_before(View v, Py_ssize_t p, PyObject *out)
{
    if (p == 0 || !is_ws(AT(v, p - 1)))
        return 0;
    Py_ssize_t start = p - 1;
    while (start > 0 && is_ws(AT(v, start - 1)))
        start--;
    return append_pair(out, start, p);
}

#ifdef __SSE2__
#include <emmintrin.h>

/* The line ends of a text of two bytes a character (most web texts: curly quotes, dashes),
 * eight characters at a time: each CR or LF is a bit of a compare's byte mask, so the
 * characters between line ends cost no test of their own. 0, or -1 on error. */
static int
trailing_runs_ucs2(View v, PyObject *out)
{
    const Py_UCS2 *d = v.data;
    const __m128i lf = _mm_set1_epi16('\n'), cr = _mm_set1_epi16('\r');
    Py_ssize_t p = 0;
    for (; p + 8 <= v.n; p += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(d + p));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi16(x, lf), _mm_cmpeq_epi16(x, cr)));
        for (; m; m &= m - 1, m &= m - 1)  /* two bits a character */
            if (ws_run_before(v, p + (__builtin_ctz(m) >> 1), out) < 0)
                return -1;
    }
    for (; p < v.n; p++)
        if ((d[p] == '\n' || d[p] == '\r') && ws_run_before(v, p, out) < 0)
            return -1;
    return 0;
}
#endif

/* whitespace._trailing_py(text) -> [(start, end)]: each run of white space that ends
 * a line (before CR or LF, or at the end of the text). */
PyObject *
speedups_trailing_ws(PyObject *self, PyObject *text)
{
    if (!need_str(text, "trailing_ws"))
        return NULL;
    View v = view_of(text);
    int no_cr = v.kind == PyUnicode_1BYTE_KIND && memchr(v.data, '\r', (size_t)v.n) == NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
#ifdef __SSE2__
    if (v.kind == PyUnicode_2BYTE_KIND) {
        if (trailing_runs_ucs2(v, out) < 0 || ws_run_before(v, v.n, out) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        return out;
    }
#endif
    for (Py_ssize_t p = v.n > 0 ? next_eol(v, no_cr, 1) : 1; p <= v.n;
         p = p < v.n ? next_eol(v, no_cr, p + 1) : v.n + 1) {
        if (ws_run_before(v, p, out) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* ---- PL005: whitespace._blank_runs_py ------------------------------------ */

/* whitespace._blank_runs_py(lines, max_blank) -> [(start, end, count)], max_blank >= 0:
 * each run of more than max_blank blank lines with a line of text before and after it;
 * start..end covers the run's lines after the first max_blank. */
PyObject *
speedups_blank_runs(PyObject *self, PyObject *args)
{
    PyObject *lines;
    Py_ssize_t max_blank;
    if (!PyArg_ParseTuple(args, "O!n:blank_runs", &PyList_Type, &lines, &max_blank))
        return NULL;
    if (max_blank < 0) {
        PyErr_SetString(PyExc_ValueError, "blank_runs: max_blank must be at least 0");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(lines), run = -1;  /* first blank line of the run, or -1 */
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    int text_before = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ln = PyList_GET_ITEM(lines, i);
        int blank = line_blank(ln);
        if (blank < 0)
            goto fail;
        if (blank) {
            if (run < 0 && text_before)
                run = i;
            continue;
        }
        if (run >= 0 && i - run > max_blank) {
            PyObject *first = PyTuple_GET_ITEM(PyList_GET_ITEM(lines, run + max_blank), 1);
            PyObject *stop = PyTuple_GET_ITEM(ln, 1), *count = PyLong_FromSsize_t(i - run);
            PyObject *hit = count == NULL ? NULL : PyTuple_Pack(3, first, stop, count);
            Py_XDECREF(count);
            if (hit == NULL || PyList_Append(out, hit) < 0) {
                Py_XDECREF(hit);
                goto fail;
            }
            Py_DECREF(hit);
        }
        run = -1;
        text_before = 1;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}
