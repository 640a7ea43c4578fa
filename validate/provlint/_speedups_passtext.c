/* The text one fix pass made of a document, rebuilt for its provenance record
 * (provenance._after_pass_py in C). */
#include "_speedups.h"

static Slot p_span = {"span"}, p_after = {"after"}, p_start = {"start"}, p_end = {"end"};

/* An index of ``todo`` as a C size, or -1 with an error set. */
static Py_ssize_t
edit_index(PyObject *todo, Py_ssize_t k, Py_ssize_t count)
{
    Py_ssize_t i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(todo, k));
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0 || i >= count) {
        PyErr_SetString(PyExc_IndexError, "edit index out of range");
        return -1;
    }
    return i;
}

/* Append text[pos:start] (a Python slice: clamped, empty when start <= pos), then
 * ``after``, to ``parts``. 0, or -1 on error. */
static int
add_pieces(PyObject *parts, PyObject *text, Py_ssize_t pos, Py_ssize_t start, PyObject *after)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    pos = pos < 0 ? 0 : (pos > len ? len : pos);
    start = start < pos ? pos : (start > len ? len : start);
    PyObject *gap = PyUnicode_Substring(text, pos, start);
    int r = gap == NULL ? -1 : PyList_Append(parts, gap);
    Py_XDECREF(gap);
    return r < 0 ? -1 : PyList_Append(parts, after);
}

/* after_pass(text, applied, todo) -> str: the text the edits ``applied[i]`` for i in
 * ``todo`` (one pass's, in text order) made of ``text``. */
PyObject *
speedups_after_pass(PyObject *self, PyObject *args)
{
    PyObject *text, *applied, *todo;
    if (!PyArg_ParseTuple(args, "UOO:after_pass", &text, &applied, &todo))
        return NULL;
    PyObject *edits = PySequence_Fast(applied, "applied must be a sequence");
    PyObject *order = edits ? PySequence_Fast(todo, "todo must be a sequence") : NULL;
    PyObject *parts = order ? PyList_New(0) : NULL, *result = NULL;
    if (parts == NULL)
        goto done;
    Py_ssize_t pos = 0, count = PySequence_Fast_GET_SIZE(edits);
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(order); k++) {
        Py_ssize_t i = edit_index(order, k, count), start = -1, end = -1;
        if (i < 0)
            goto done;
        PyObject *a = PySequence_Fast_GET_ITEM(edits, i);
        PyObject *span = slot_get(a, &p_span), *after = span ? slot_get(a, &p_after) : NULL;
        PyObject *s = after ? slot_get(span, &p_start) : NULL;
        PyObject *e = s ? slot_get(span, &p_end) : NULL;
        if (e != NULL && (start = PyLong_AsSsize_t(s)) != -1)
            end = PyLong_AsSsize_t(e);
        int ok = e != NULL && !PyErr_Occurred();
        if (ok && !PyUnicode_Check(after)) {
            PyErr_SetString(PyExc_TypeError, "an edit's after must be str");
            ok = 0;
        }
        ok = ok && add_pieces(parts, text, pos, start, after) == 0;
        Py_XDECREF(span);
        Py_XDECREF(after);
        Py_XDECREF(s);
        Py_XDECREF(e);
        if (!ok)
            goto done;
        pos = end;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    PyObject *tail = PyUnicode_Substring(text, pos < 0 ? 0 : (pos > len ? len : pos), len);
    if (tail == NULL || PyList_Append(parts, tail) < 0) {
        Py_XDECREF(tail);
        goto done;
    }
    Py_DECREF(tail);
    PyObject *empty = PyUnicode_New(0, 0);  /* the separator (NULL would mean a space) */
    result = empty == NULL ? NULL : PyUnicode_Join(empty, parts);
    Py_XDECREF(empty);
done:
    Py_XDECREF(parts);
    Py_XDECREF(order);
    Py_XDECREF(edits);
    return result;
}
