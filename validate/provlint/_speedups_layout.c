/* Loops of the layout and badge rules (checks.boilerplate, counters, metadata) for
 * provlint._speedups: walks over a layout's shapes or a text's lines that the rules
 * made in Python once per fix pass, for every line, to find the few that matter. */
#include "_speedups.h"

#define SHAPE_WORDS 0
#define SHAPE_SYMBOL 4
#define SHAPE_MENU 5
#define LINE_TEXT 4
#define LINE_BLANK 5

/* ``s``, checked to be a tuple of at least six items (a prose.Shape or a lines.Line). */
static int
record6(PyObject *s, const char *what)
{
    if (PyTuple_Check(s) && PyTuple_GET_SIZE(s) >= 6)
        return 1;
    PyErr_Format(PyExc_TypeError, "expected %s values", what);
    return 0;
}

/* A Shape's word count, or -1 with an error set. */
static long
words_of(PyObject *s)
{
    if (!record6(s, "prose.Shape"))
        return -1;
    return PyLong_AsLong(PyTuple_GET_ITEM(s, SHAPE_WORDS));
}

/* prose.Shape.nav(max_words): 1, 0 or -1 with an error set. */
static int
is_nav(PyObject *s, long max_words)
{
    long words = words_of(s);
    if (words == -1 && PyErr_Occurred())
        return -1;
    int symbol = PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_SYMBOL));
    if (symbol != 0)
        return symbol;
    int menu = PyObject_IsTrue(PyTuple_GET_ITEM(s, SHAPE_MENU));
    return menu < 0 ? -1 : menu && words <= max_words;
}

/* boilerplate._shape_true: [i for i, s in enumerate(shapes) if s is not None and s[field]] */
PyObject *
speedups_shape_true(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    Py_ssize_t field;
    if (!PyArg_ParseTuple(args, "O!n:shape_true", &PyTuple_Type, &shapes, &field))
        return NULL;
    if (field < 0 || field >= 6) {
        PyErr_SetString(PyExc_ValueError, "shape_true: field out of range");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PyTuple_GET_SIZE(shapes); i++) {
        PyObject *s = PyTuple_GET_ITEM(shapes, i);
        if (s == Py_None)
            continue;
        int on = record6(s, "prose.Shape") ? PyObject_IsTrue(PyTuple_GET_ITEM(s, field)) : -1;
        if (on < 0 || (on && push_index(out, i) < 0))
            Py_CLEAR(out);
    }
    return out;
}

/* boilerplate._runs_py: the runs of nav-like lines in shapes[lo:hi], as lists of indices. */
PyObject *
speedups_nav_runs(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    Py_ssize_t lo, hi;
    long max_words;
    if (!PyArg_ParseTuple(args, "O!nnl:nav_runs", &PyTuple_Type, &shapes, &lo, &hi, &max_words))
        return NULL;
    hi = hi < PyTuple_GET_SIZE(shapes) ? hi : PyTuple_GET_SIZE(shapes);
    PyObject *out = PyList_New(0), *run = NULL;
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = lo < 0 ? 0 : lo; i < hi; i++) {
        PyObject *s = PyTuple_GET_ITEM(shapes, i);
        if (s == Py_None)
            continue;  /* blank lines neither start nor end a run */
        int nav = is_nav(s, max_words);
        if (nav < 0)
            goto fail;
        if (!nav) {
            if (run != NULL && PyList_Append(out, run) < 0)
                goto fail;
            Py_CLEAR(run);
            continue;
        }
        if (run == NULL && (run = PyList_New(0)) == NULL)
            goto fail;
        if (push_index(run, i) < 0)
            goto fail;
    }
    if (run != NULL && PyList_Append(out, run) < 0)
        goto fail;
    Py_XDECREF(run);
    return out;
fail:
    Py_XDECREF(run);
    Py_DECREF(out);
    return NULL;
}

/* boilerplate._headline_pair_py: (the last line of three words or more before ``first``,
 * the earliest of the longest of them), -1 for none. */
PyObject *
speedups_headline_pair(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    Py_ssize_t first;
    if (!PyArg_ParseTuple(args, "O!n:headline_pair", &PyTuple_Type, &shapes, &first))
        return NULL;
    Py_ssize_t last = -1, longest = -1;
    long most = 2;
    first = first < PyTuple_GET_SIZE(shapes) ? first : PyTuple_GET_SIZE(shapes);
    for (Py_ssize_t k = first - 1; k >= 0; k--) {
        PyObject *s = PyTuple_GET_ITEM(shapes, k);
        if (s == Py_None)
            continue;
        long words = words_of(s);
        if (words == -1 && PyErr_Occurred())
            return NULL;
        if (words < 3)
            continue;
        if (last < 0)
            last = k;
        if (words >= most) {
            longest = k;
            most = words;
        }
    }
    return Py_BuildValue("(nn)", last, longest);
}

/* counters.short_lines_py: the non-blank lines of at most ``max_len`` characters
 * (and, with ``digit``, holding a decimal digit, as \d matches one). */
PyObject *
speedups_short_lines(PyObject *self, PyObject *args)
{
    PyObject *lines;
    Py_ssize_t max_len;
    int digit;
    if (!PyArg_ParseTuple(args, "Onp:short_lines", &lines, &max_len, &digit))
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "lines must be a sequence");
    if (seq == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *ln = PySequence_Fast_GET_ITEM(seq, i);
        if (!record6(ln, "lines.Line") || !need_str(PyTuple_GET_ITEM(ln, LINE_TEXT), "short_lines")) {
            Py_CLEAR(out);
            break;
        }
        int blank = PyObject_IsTrue(PyTuple_GET_ITEM(ln, LINE_BLANK));
        View v = view_of(PyTuple_GET_ITEM(ln, LINE_TEXT));
        if (blank < 0) {
            Py_CLEAR(out);
            break;
        }
        if (blank || v.n > max_len)
            continue;
        int found = !digit;
        for (Py_ssize_t k = 0; !found && k < v.n; k++)
            found = is_decimal(AT(v, k));
        if (found && push_index(out, i) < 0)
            Py_CLEAR(out);
    }
    Py_DECREF(seq);
    return out;
}
