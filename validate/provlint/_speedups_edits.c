/* One pass's edit records of a provenance record (provenance._pass_records_py in C). */
#include "_speedups.h"
#include <string.h>

/* The UTF-8 size of text[start:end] (a slice already clamped to the text), or -1 when
 * it holds a surrogate: whether and how that encodes depends on the error handler.
 * The loops add without branching, so the compiler can vectorise them. */
static Py_ssize_t
utf8_size(PyObject *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t n = end - start;
    if (PyUnicode_IS_ASCII(text))
        return n;
    const void *data = PyUnicode_DATA(text);
    int surrogates = 0;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = start; i < end; i++)
            n += ((const Py_UCS1 *)data)[i] >> 7;
        return n;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS2 c = ((const Py_UCS2 *)data)[i];
            n += (c >= 0x80) + (c >= 0x800);
            surrogates |= (c & 0xf800) == 0xd800;
        }
        break;
    default:
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS4 c = ((const Py_UCS4 *)data)[i];
            n += (c >= 0x80) + (c >= 0x800) + (c >= 0x10000);
            surrogates |= (c & 0xfff800) == 0xd800;
        }
    }
    return surrogates ? -1 : n;
}

/* Whether ``s`` holds a lone surrogate (provenance.has_surrogates). */
static int
has_surrogate(PyObject *s)
{
    return !PyUnicode_IS_ASCII(s) && PyUnicode_KIND(s) != PyUnicode_1BYTE_KIND
           && utf8_size(s, 0, PyUnicode_GET_LENGTH(s)) < 0;
}

/* The encoded size of text[start:end] as Python slices it: counted here, or by
 * ``nbytes`` (the real encoder) for a piece with a surrogate. -1 on error. */
static Py_ssize_t
piece_size(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *nbytes)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    start = start < 0 ? 0 : (start > len ? len : start);
    end = end < start ? start : (end > len ? len : end);
    Py_ssize_t n = utf8_size(text, start, end);
    if (n >= 0)
        return n;
    PyObject *piece = PyUnicode_Substring(text, start, end);
    if (piece == NULL)
        return -1;
    PyObject *size = PyObject_CallOneArg(nbytes, piece);
    Py_DECREF(piece);
    if (size == NULL)
        return -1;
    n = PyLong_AsSsize_t(size);
    Py_DECREF(size);
    if (n < 0 && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "nbytes gave a negative size");
    return n;
}

static PyObject *s_value, *k_rule, *k_pass, *k_op, *k_in_span,
    *k_out_span, *k_fix, *k_in_bytes, *k_out_bytes, *k_removed, *k_inserted, *v_delete,
    *v_insert, *v_replace;

static int
intern_names(void)
{
    if (v_replace != NULL)
        return 0;
    struct { PyObject **slot; const char *name; } names[] = {
        {&s_value, "_value_"}, {&k_rule, "rule"}, {&k_pass, "pass"}, {&k_op, "op"},
        {&k_in_span, "in_span"}, {&k_out_span, "out_span"}, {&k_fix, "fix"},
        {&k_in_bytes, "in_bytes"}, {&k_out_bytes, "out_bytes"}, {&k_removed, "removed"},
        {&k_inserted, "inserted"}, {&v_delete, "delete"}, {&v_insert, "insert"},
        {&v_replace, "replace"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((*names[i].slot = PyUnicode_InternFromString(names[i].name)) == NULL)
            return -1;
    return 0;
}

/* [a, b] of two ints (kept ones when small: int_of). */
static PyObject *
pair(Py_ssize_t a, Py_ssize_t b)
{
    PyObject *x = int_of(a), *y = x ? int_of(b) : NULL;
    PyObject *list = y ? PyList_New(2) : NULL;
    if (list == NULL) {
        Py_XDECREF(x);
        Py_XDECREF(y);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, x);
    PyList_SET_ITEM(list, 1, y);
    return list;
}

/* [x, y] of two objects. */
static PyObject *
pair_of(PyObject *x, PyObject *y)
{
    PyObject *list = PyList_New(2);
    if (list != NULL) {
        PyList_SET_ITEM(list, 0, Py_NewRef(x));
        PyList_SET_ITEM(list, 1, Py_NewRef(y));
    }
    return list;
}

/* Set key to value in rec, taking the reference to value (which may be NULL: an error). */
static int
put_new(PyObject *rec, PyObject *key, PyObject *value)
{
    if (value == NULL)
        return -1;
    int r = PyDict_SetItem(rec, key, value);
    Py_DECREF(value);
    return r;
}

typedef struct {
    PyObject *code, *pass_no, *span, *start_obj, *end_obj, *before, *after, *out_start,
        *applicability, *fix;
    Py_ssize_t start, end, out;
} Edit;

static void
edit_clear(Edit *e)
{
    Py_XDECREF(e->code);
    Py_XDECREF(e->pass_no);
    Py_XDECREF(e->span);
    Py_XDECREF(e->start_obj);
    Py_XDECREF(e->end_obj);
    Py_XDECREF(e->before);
    Py_XDECREF(e->after);
    Py_XDECREF(e->out_start);
    Py_XDECREF(e->applicability);
    Py_XDECREF(e->fix);
}

/* The fields of an AppliedEdit and of its Span, read from their slots (slot_get). */
enum { N_FIELDS = 7 };
static Slot a_code = {"code"}, a_pass_no = {"pass_no"}, a_span = {"span"},
            a_before = {"before"}, a_after = {"after"}, a_out_start = {"out_start"},
            a_applicability = {"applicability"}, sp_start = {"start"}, sp_end = {"end"};
static PyObject *last_applicability, *last_fix;  /* the enum member seen last, its value */

static int
edit_read(PyObject *a, Edit *e)
{
    memset(e, 0, sizeof *e);
    PyObject **slots[N_FIELDS] = {&e->code, &e->pass_no, &e->span, &e->before, &e->after,
                                  &e->out_start, &e->applicability};
    Slot *fields[N_FIELDS] = {&a_code, &a_pass_no, &a_span, &a_before, &a_after,
                              &a_out_start, &a_applicability};
    for (int k = 0; k < N_FIELDS; k++)
        if ((*slots[k] = slot_get(a, fields[k])) == NULL)
            return -1;
    if ((e->start_obj = slot_get(e->span, &sp_start)) == NULL
        || (e->end_obj = slot_get(e->span, &sp_end)) == NULL)
        return -1;
    if (e->applicability != last_applicability) {  /* one of a few enum members */
        PyObject *fix = PyObject_GetAttr(e->applicability, s_value);
        if (fix == NULL)
            return -1;
        Py_XSETREF(last_applicability, Py_NewRef(e->applicability));
        Py_XSETREF(last_fix, fix);
    }
    e->fix = Py_NewRef(last_fix);
    if (!PyUnicode_Check(e->before) || !PyUnicode_Check(e->after)) {
        PyErr_SetString(PyExc_TypeError, "an edit's before and after must be str");
        return -1;
    }
    if ((e->start = PyLong_AsSsize_t(e->start_obj)) == -1 && PyErr_Occurred())
        return -1;
    if ((e->end = PyLong_AsSsize_t(e->end_obj)) == -1 && PyErr_Occurred())
        return -1;
    if ((e->out = PyLong_AsSsize_t(e->out_start)) == -1 && PyErr_Occurred())
        return -1;
    return 0;
}

/* pass_records(records, applied, todo, text, one_byte, single, base, plain, nbytes, texts)
 * -> None: provenance._pass_records_py in C, for UTF-8 and cp1252 texts. */
PyObject *
speedups_pass_records(PyObject *self, PyObject *args)
{
    PyObject *records, *applied, *todo, *text, *nbytes, *texts;
    int one_byte, single, plain;
    Py_ssize_t base;
    if (!PyArg_ParseTuple(args, "O!OOUppnpOO:pass_records", &PyList_Type, &records, &applied,
                          &todo, &text, &one_byte, &single, &base, &plain, &nbytes, &texts))
        return NULL;
    if (intern_names() < 0)
        return NULL;
    PyObject *edits = PySequence_Fast(applied, "applied must be a sequence");
    PyObject *order = edits ? PySequence_Fast(todo, "todo must be a sequence") : NULL;
    if (order == NULL) {
        Py_XDECREF(edits);
        return NULL;
    }
    Py_ssize_t pos = 0, at = base, delta = 0, count = PySequence_Fast_GET_SIZE(edits);
    PyObject *result = NULL;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(order); k++) {
        Py_ssize_t i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(order, k));
        if (i == -1 && PyErr_Occurred())
            goto done;
        if (i < 0 || i >= count || i >= PyList_GET_SIZE(records)) {
            PyErr_SetString(PyExc_IndexError, "edit index out of range");
            goto done;
        }
        Edit e;
        PyObject *rec = NULL;
        if (edit_read(PySequence_Fast_GET_ITEM(edits, i), &e) < 0)
            goto fail;
        Py_ssize_t nb, na, len_after = PyUnicode_GET_LENGTH(e.after);
        if (one_byte) {
            at += e.start - pos;
            nb = PyUnicode_GET_LENGTH(e.before);
        } else {
            Py_ssize_t gap = piece_size(text, pos, e.start, nbytes);
            if (gap < 0)
                goto fail;
            at += gap;
            nb = piece_size(e.before, 0, PyUnicode_GET_LENGTH(e.before), nbytes);
            if (nb < 0)
                goto fail;
        }
        na = single ? len_after : piece_size(e.after, 0, len_after, nbytes);
        if (na < 0 || (rec = _PyDict_NewPresized(10)) == NULL)
            goto fail;
        PyObject *op = len_after == 0 ? v_delete
                       : (PyUnicode_GET_LENGTH(e.before) == 0 ? v_insert : v_replace);
        if (PyDict_SetItem(rec, k_rule, e.code) < 0 || PyDict_SetItem(rec, k_pass, e.pass_no) < 0
            || PyDict_SetItem(rec, k_op, op) < 0
            || put_new(rec, k_in_span, pair_of(e.start_obj, e.end_obj)) < 0
            || put_new(rec, k_out_span, pair(e.out, e.out + len_after)) < 0
            || PyDict_SetItem(rec, k_fix, e.fix) < 0
            || put_new(rec, k_in_bytes, pair(at, at + nb)) < 0
            || put_new(rec, k_out_bytes, pair(at + delta, at + delta + na)) < 0)
            goto fail;
        /* full text without lone surrogates: _texts keeps both texts as they are */
        if (plain && !has_surrogate(e.before) && !has_surrogate(e.after)) {
            if (PyDict_SetItem(rec, k_removed, e.before) < 0
                || PyDict_SetItem(rec, k_inserted, e.after) < 0)
                goto fail;
        } else {
            PyObject *more = PyObject_CallFunctionObjArgs(texts, e.before, e.after, NULL);
            int r = more == NULL ? -1 : PyDict_Update(rec, more);
            Py_XDECREF(more);
            if (r < 0)
                goto fail;
        }
        PyList_SetItem(records, i, rec);  /* steals rec; i is in range */
        at += nb;
        delta += na - nb;
        pos = e.end;
        edit_clear(&e);
        continue;
    fail:
        Py_XDECREF(rec);
        edit_clear(&e);
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    Py_DECREF(order);
    Py_DECREF(edits);
    return result;
}

/* An edit's place in the order of _pass_order_py: (pass, start, end), then its index
 * (Python's sort is stable). */
typedef struct {
    long long pass, start, end;
    Py_ssize_t index;
} Key;

static int
key_compare(const void *x, const void *y)
{
    const Key *a = x, *b = y;
    if (a->pass != b->pass)
        return a->pass < b->pass ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index);
}

/* A C long long of ``o`` (an exact int), or 0 with *ok cleared (other values: pure code). */
static long long
as_key(PyObject *o, int *ok)
{
    int overflow = 0;
    long long v = PyLong_CheckExact(o) ? PyLong_AsLongLongAndOverflow(o, &overflow) : -1;
    if (!PyLong_CheckExact(o) || overflow || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        *ok = 0;
    }
    return v;
}

/* The keys of ``edits`` in order; 1 when they are, 0 when an edit's pass, start or end is
 * not an int C can compare (the pure code orders those), -1 on error. */
static int
sorted_keys(PyObject *edits, Key *keys, Py_ssize_t n)
{
    int sorted = 1, ok = 1;
    for (Py_ssize_t i = 0; i < n && ok; i++) {
        PyObject *a = PySequence_Fast_GET_ITEM(edits, i);
        PyObject *pass = slot_get(a, &a_pass_no);
        PyObject *span = pass ? slot_get(a, &a_span) : NULL;
        PyObject *start = span ? slot_get(span, &sp_start) : NULL;
        PyObject *end = start ? slot_get(span, &sp_end) : NULL;
        if (end != NULL)
            keys[i] = (Key){as_key(pass, &ok), as_key(start, &ok), as_key(end, &ok), i};
        Py_XDECREF(pass);
        Py_XDECREF(span);
        Py_XDECREF(start);
        if (end == NULL)
            return -1;
        Py_DECREF(end);
        sorted = sorted && (i == 0 || key_compare(&keys[i - 1], &keys[i]) < 0);
    }
    if (ok && !sorted)
        qsort(keys, (size_t)n, sizeof *keys, key_compare);
    return ok;
}

/* pass_order(applied) -> list[list[int]] | None: provenance._pass_order_py in C; None
 * when a pass or span holds something other than an int C can compare. */
PyObject *
speedups_pass_order(PyObject *self, PyObject *applied)
{
    if (intern_names() < 0)
        return NULL;
    PyObject *edits = PySequence_Fast(applied, "applied must be a sequence");
    if (edits == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits);
    Key *keys = PyMem_New(Key, n ? n : 1);
    PyObject *passes = keys ? PyList_New(0) : PyErr_NoMemory(), *todo = NULL;
    if (passes == NULL)
        goto fail;
    int ok = sorted_keys(edits, keys, n);
    if (ok <= 0) {
        Py_CLEAR(passes);
        if (ok < 0)
            goto fail;
        passes = Py_NewRef(Py_None);
    }
    for (Py_ssize_t i = 0; ok > 0 && i < n; i++) {
        if (i == 0 || keys[i].pass != keys[i - 1].pass) {
            Py_XDECREF(todo);
            if ((todo = PyList_New(0)) == NULL || PyList_Append(passes, todo) < 0)
                goto fail;
        }
        PyObject *index = int_of(keys[i].index);
        int r = index == NULL ? -1 : PyList_Append(todo, index);
        Py_XDECREF(index);
        if (r < 0)
            goto fail;
    }
    Py_XDECREF(todo);
    PyMem_Free(keys);
    Py_DECREF(edits);
    return passes;
fail:
    Py_XDECREF(todo);
    Py_XDECREF(passes);
    PyMem_Free(keys);
    Py_DECREF(edits);
    return NULL;
}
