/* engine._select_fixes_py in C: which fixes of a pass's sorted hits to apply.
 *
 * The accepted edits' (start, end) are kept sorted in a plain C array; an edit
 * that starts after ``reach`` (the furthest end accepted so far) is appended,
 * any other is looked up the way engine._collides does (bisect, then the same
 * four neighbours and the same test as Span.conflicts) and inserted in place.
 * The rare fix that inserts non-ASCII text is passed to ``writable(edits)``.
 */
#include "_speedups.h"

/* bisect.bisect_left over (start, end) tuples, or bisect_right when ``right``. */
static Py_ssize_t
bisect(const Taken *t, Py_ssize_t start, Py_ssize_t end, int right)
{
    Py_ssize_t lo = 0, hi = t->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        const Pair *p = &t->items[mid];
        if (p->start < start || (p->start == start && (p->end < end || (right && p->end == end))))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* engine._collides: Span.conflicts against the neighbours of (start, end). */
static int
collides(const Taken *t, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t i = bisect(t, start, end, 0);
    Py_ssize_t lo = i - 2 > 0 ? i - 2 : 0, hi = i + 2 < t->n ? i + 2 : t->n;
    for (Py_ssize_t j = lo; j < hi; j++) {
        Py_ssize_t s = t->items[j].start, e = t->items[j].end;
        if (start == end || s == e) {
            if (start <= e && s <= end)
                return 1;
        }
        else if (start < e && s < end)
            return 1;
    }
    return 0;
}

/* Insert (start, end) at index ``at`` (0 <= at <= n); -1 with MemoryError. */
static int
insert_at(Taken *t, Py_ssize_t at, Py_ssize_t start, Py_ssize_t end)
{
    if (t->n == t->cap) {
        Py_ssize_t cap = t->cap ? t->cap * 2 : 16;
        Pair *items = PyMem_Realloc(t->items, (size_t)cap * sizeof(Pair));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->items = items;
        t->cap = cap;
    }
    memmove(&t->items[at + 1], &t->items[at], (size_t)(t->n - at) * sizeof(Pair));
    t->items[at].start = start;
    t->items[at].end = end;
    t->n++;
    return 0;
}

int
taken_collides(const Taken *t, Py_ssize_t start, Py_ssize_t end)
{
    return collides(t, start, end);
}

int
taken_add(Taken *t, Py_ssize_t *reach, int *in_order, Py_ssize_t start, Py_ssize_t end)
{
    if (start > *reach) {
        if (insert_at(t, t->n, start, end))
            return -1;
        *reach = end;
        return 0;
    }
    if (insert_at(t, bisect(t, start, end, 1), start, end))
        return -1;
    if (end > *reach)
        *reach = end;
    *in_order = 0;
    return 0;
}

/* An edit's (start, end); -1 with an exception set. */
static int
edit_span(PyObject *edit, PyObject *s_span, PyObject *s_start, PyObject *s_end,
          Py_ssize_t *start, Py_ssize_t *end)
{
    PyObject *span = PyObject_GetAttr(edit, s_span);
    if (span == NULL)
        return -1;
    PyObject *a = PyObject_GetAttr(span, s_start);
    PyObject *b = a ? PyObject_GetAttr(span, s_end) : NULL;
    Py_DECREF(span);
    if (b == NULL) {
        Py_XDECREF(a);
        return -1;
    }
    *start = PyLong_AsSsize_t(a);
    *end = PyLong_AsSsize_t(b);
    Py_DECREF(a);
    Py_DECREF(b);
    return PyErr_Occurred() ? -1 : 0;
}

/* 1 when every edit's replacement is an ASCII str, 0 if not, -1 on error. */
static int
all_ascii(PyObject *edits, PyObject *s_replacement)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *r = PyObject_GetAttr(PySequence_Fast_GET_ITEM(edits, k), s_replacement);
        if (r == NULL)
            return -1;
        int ascii = PyUnicode_Check(r) && PyUnicode_IS_ASCII(r);
        Py_DECREF(r);
        if (!ascii)
            return 0;
    }
    return 1;
}

static PyObject *s_fix, *s_fixable, *s_applicability, *s_edits, *s_span, *s_start, *s_end,
    *s_replacement;

static int
intern_names(void)
{
    if (s_fix != NULL)
        return 0;
    s_fix = PyUnicode_InternFromString("fix");
    s_fixable = PyUnicode_InternFromString("fixable");
    s_applicability = PyUnicode_InternFromString("applicability");
    s_edits = PyUnicode_InternFromString("edits");
    s_span = PyUnicode_InternFromString("span");
    s_start = PyUnicode_InternFromString("start");
    s_end = PyUnicode_InternFromString("end");
    s_replacement = PyUnicode_InternFromString("replacement");
    if (!s_fix || !s_fixable || !s_applicability || !s_edits || !s_span || !s_start || !s_end
        || !s_replacement) {
        s_fix = NULL;
        return -1;
    }
    return 0;
}

/* Whether the hit's fix is a candidate: 1 and a new reference to its edits (a
 * PySequence_Fast) in *edits_out, 0 to skip it, -1 on error. */
static int
candidate(PyObject *h, PyObject *unsafe_app, int unsafe, PyObject **fix_out,
          PyObject **edits_out)
{
    PyObject *fix = PyObject_GetAttr(PyTuple_GET_ITEM(h, 6), s_fix);
    if (fix == NULL)
        return -1;
    if (fix == Py_None) {
        Py_DECREF(fix);
        return 0;
    }
    PyObject *fixable = PyObject_GetAttr(PyTuple_GET_ITEM(h, 5), s_fixable);
    int ok = fixable ? PyObject_IsTrue(fixable) : -1;
    Py_XDECREF(fixable);
    if (ok == 1 && !unsafe) {
        PyObject *app = PyObject_GetAttr(fix, s_applicability);
        ok = app == NULL ? -1 : app != unsafe_app;
        Py_XDECREF(app);
    }
    PyObject *edits = NULL;
    if (ok == 1) {
        PyObject *seq = PyObject_GetAttr(fix, s_edits);
        edits = seq ? PySequence_Fast(seq, "a fix's edits must be a sequence") : NULL;
        Py_XDECREF(seq);
        if (edits == NULL)
            ok = -1;
    }
    if (ok != 1) {
        Py_DECREF(fix);
        return ok;
    }
    *fix_out = fix;
    *edits_out = edits;
    return 1;
}

/* Accept one candidate fix: 1 taken, 0 skipped, -1 on error. */
static int
take(Taken *t, Py_ssize_t *reach, int *in_order, PyObject *edits, PyObject *writable)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits), start, end;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (edit_span(PySequence_Fast_GET_ITEM(edits, k), s_span, s_start, s_end, &start, &end))
            return -1;
        if (start <= *reach && collides(t, start, end))
            return 0;
    }
    int ascii = all_ascii(edits, s_replacement);
    if (ascii < 0)
        return -1;
    if (!ascii) {
        PyObject *r = PyObject_CallOneArg(writable, edits);
        int ok = r ? PyObject_IsTrue(r) : -1;
        Py_XDECREF(r);
        if (ok != 1)
            return ok;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (edit_span(PySequence_Fast_GET_ITEM(edits, k), s_span, s_start, s_end, &start, &end)
            || taken_add(t, reach, in_order, start, end))
            return -1;
    }
    return 1;
}

PyObject *
speedups_select_fixes(PyObject *self, PyObject *args)
{
    PyObject *hits, *unsafe_app, *writable;
    int unsafe;
    if (!PyArg_ParseTuple(args, "O!pOO:select_fixes", &PyList_Type, &hits, &unsafe,
                          &unsafe_app, &writable))
        return NULL;
    if (intern_names())
        return NULL;
    PyObject *accepted = PyList_New(0);
    if (accepted == NULL)
        return NULL;
    Taken t = {NULL, 0, 0};
    Py_ssize_t reach = -1;
    int in_order = 1;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(hits); i++) {
        PyObject *h = PyList_GET_ITEM(hits, i), *fix = NULL, *edits = NULL;
        if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) < 8) {
            PyErr_SetString(PyExc_TypeError, "select_fixes: a hit must be an 8-tuple");
            goto fail;
        }
        int ok = candidate(h, unsafe_app, unsafe, &fix, &edits);
        if (ok == 1) {
            ok = take(&t, &reach, &in_order, edits, writable);
            Py_DECREF(edits);
            if (ok == 1) {
                PyObject *pair = PyTuple_Pack(2, PyTuple_GET_ITEM(h, 2), fix);
                ok = pair == NULL || PyList_Append(accepted, pair) < 0 ? -1 : 1;
                Py_XDECREF(pair);
            }
            Py_DECREF(fix);
        }
        if (ok < 0)
            goto fail;
    }
    PyMem_Free(t.items);
    return Py_BuildValue("(NO)", accepted, in_order ? Py_True : Py_False);
fail:
    PyMem_Free(t.items);
    Py_DECREF(accepted);
    return NULL;
}
