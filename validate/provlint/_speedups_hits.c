/* The engine's per-hit and per-edit bookkeeping in C: engine._collect_py (a rule's
 * hits as the engine's sortable tuples) and engine._apply_py (a pass's fixes applied
 * to the text, each edit recorded as a model.AppliedEdit).
 *
 * An AppliedEdit is made the way its class makes one: allocated by its type, then
 * each field stored through the class's slot descriptor (what model.AppliedEdit's
 * __init__ does, without running Python code for each of its seven fields).
 */
#include "_speedups.h"
#include "structmember.h"


/* Where instances of ``tp`` keep attribute ``name``: the offset of its plain slot, or -1
 * when it is something else (a property, an instance dict, a class with its own
 * attribute hook) or the class has no valid version tag to tell its changes by. */
static Py_ssize_t
slot_offset(PyTypeObject *tp, PyObject *name)
{
    PyObject *d = tp->tp_getattro == PyObject_GenericGetAttr ? _PyType_Lookup(tp, name) : NULL;
    if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type)
        || !PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG))
        return -1;
    PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
    return m->type == T_OBJECT_EX && !(m->flags & READONLY) ? m->offset : -1;
}

/* obj.name: read from its slot, as CPython's specialised LOAD_ATTR does for these
 * classes, when ``obj``'s class keeps ``name`` in a plain slot and has no attribute
 * hook of its own; PyObject_GetAttr (the same answer, slower) otherwise. */
PyObject *
slot_get(PyObject *obj, Slot *cache)
{
    if (cache->key == NULL && (cache->key = PyUnicode_InternFromString(cache->name)) == NULL)
        return NULL;
    PyObject *name = cache->key;
    PyTypeObject *tp = Py_TYPE(obj);
    if (tp != cache->type || tp->tp_version_tag != cache->version
        || !PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) {
        cache->type = NULL;
        Py_ssize_t offset = slot_offset(tp, name);
        if (offset >= 0) {
            cache->type = tp;
            cache->version = tp->tp_version_tag;
            cache->offset = offset;
        }
    }
    if (cache->type == tp) {
        PyObject *v = *(PyObject **)((char *)obj + cache->offset);
        if (v != NULL)
            return Py_NewRef(v);
    }
    return PyObject_GetAttr(obj, name);
}

static Slot hit_span = {"span"}, hit_message = {"message"}, hit_metadata = {"metadata"},
            span_start = {"start"}, span_end = {"end"};

/* Lift each (key, value) of the hit's metadata into ``lifted`` unless the key is
 * there already (dict.setdefault); -1 on error. */
static int
lift(PyObject *lifted, PyObject *hit)
{
    PyObject *meta = slot_get(hit, &hit_metadata);
    if (meta == NULL)
        return -1;
    int any = PyObject_IsTrue(meta);
    PyObject *items = any == 1 ? PyMapping_Items(meta) : NULL;
    Py_DECREF(meta);
    if (any != 1)
        return any;
    if (items == NULL)
        return -1;
    int rc = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(items) && rc == 0; k++) {
        PyObject *kv = PyList_GET_ITEM(items, k);
        if (!PyTuple_Check(kv) || PyTuple_GET_SIZE(kv) != 2) {
            PyErr_SetString(PyExc_ValueError, "metadata items must be (key, value) pairs");
            rc = -1;
        }
        else if (PyDict_SetDefault(lifted, PyTuple_GET_ITEM(kv, 0), PyTuple_GET_ITEM(kv, 1))
                 == NULL)
            rc = -1;
    }
    Py_DECREF(items);
    return rc;
}

/* The engine's tuple of one hit: (start, end, code, message, index, ar, hit, False);
 * NULL on error, or with AssertionError for a span past ``size``. */
static PyObject *
hit_tuple(PyObject *hit, PyObject *code, PyObject *ar, PyObject *size, Py_ssize_t index)
{
    PyObject *span = slot_get(hit, &hit_span);
    if (span == NULL)
        return NULL;
    PyObject *end = slot_get(span, &span_end), *start = NULL, *message = NULL;
    int outside = end ? PyObject_RichCompareBool(end, size, Py_GT) : -1;
    if (outside == 1)
        PyErr_Format(PyExc_AssertionError, "%S hit outside the text: %S", code, span);
    if (outside == 0)
        start = slot_get(span, &span_start);
    Py_DECREF(span);
    if (start != NULL)
        message = slot_get(hit, &hit_message);
    PyObject *at = message ? int_of(index) : NULL;
    PyObject *t = at ? PyTuple_New(8) : NULL;
    if (t == NULL) {
        Py_XDECREF(end);
        Py_XDECREF(start);
        Py_XDECREF(message);
        Py_XDECREF(at);
        return NULL;
    }
    PyObject *items[8] = {start, end, code, message, at, ar, hit, Py_False};
    Py_INCREF(code);
    Py_INCREF(ar);
    Py_INCREF(hit);
    Py_INCREF(Py_False);
    for (Py_ssize_t k = 0; k < 8; k++)
        PyTuple_SET_ITEM(t, k, items[k]);
    return t;
}

PyObject *
speedups_collect_hits(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "collect_hits() takes 6 arguments");
        return NULL;
    }
    PyObject *out = args[0], *found = args[1], *code = args[2], *ar = args[3], *size = args[4],
             *lifted = args[5];
    if (!PyList_Check(out) || !PyList_Check(found) || !PyUnicode_Check(code)
        || !PyLong_Check(size) || (lifted != Py_None && !PyDict_Check(lifted))) {
        PyErr_SetString(PyExc_TypeError,
                        "collect_hits(out: list, found: list, code: str, ar, size: int,"
                        " lifted: dict | None)");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++) {
        PyObject *hit = PyList_GET_ITEM(found, i);
        PyObject *t = hit_tuple(hit, code, ar, size, PyList_GET_SIZE(out));
        int rc = t == NULL ? -1 : PyList_Append(out, t);
        Py_XDECREF(t);
        if (rc < 0)
            return NULL;
    }
    if (lifted != Py_None)
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++)
            if (lift(lifted, PyList_GET_ITEM(found, i)) < 0)
                return NULL;
    Py_RETURN_NONE;
}

/* ---- engine._apply_py: a pass's fixes applied, each edit recorded ---- */

/* Rec: see _speedups.h */
int
rec_order(const void *pa, const void *pb)
{
    const Rec *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->fix < b->fix ? -1 : a->fix > b->fix;
}

static Slot fix_edits = {"edits"}, fix_app = {"applicability"}, edit_span = {"span"},
            edit_after = {"replacement"};

/* The AppliedEdit fields, in the order of its __init__'s parameters. */
static const char *const APPLIED_FIELDS[7] = {"code", "pass_no", "span", "before", "after",
                                              "out_start", "applicability"};

/* Where the AppliedEdit class ``cls`` keeps each field (cached while its version tag
 * holds): 1 with the offsets in ``at``, 0 when a field is not a plain slot (then the
 * class itself is called), -1 on error. */
static int
applied_layout(PyTypeObject *cls, Py_ssize_t at[7])
{
    static PyTypeObject *type;
    static unsigned int version;
    static Py_ssize_t offsets[7];
    if (cls != type || cls->tp_version_tag != version
        || !PyType_HasFeature(cls, Py_TPFLAGS_VALID_VERSION_TAG)) {
        type = NULL;
        for (int k = 0; k < 7; k++) {
            PyObject *name = PyUnicode_InternFromString(APPLIED_FIELDS[k]);
            if (name == NULL)
                return -1;
            offsets[k] = slot_offset(cls, name);
            Py_DECREF(name);
            if (offsets[k] < 0)
                return 0;
        }
        type = cls;
        version = cls->tp_version_tag;
    }
    memcpy(at, offsets, sizeof(offsets));
    return 1;
}

/* A new ``cls`` holding the seven ``fields`` (borrowed): allocated by its type with
 * each field stored in its slot, which is all model.AppliedEdit's __init__ does. */
static PyObject *
applied_edit(PyTypeObject *cls, PyObject *const fields[7])
{
    Py_ssize_t at[7];
    int plain = applied_layout(cls, at);
    if (plain < 0)
        return NULL;
    if (!plain)
        return PyObject_Vectorcall((PyObject *)cls, fields, 7, NULL);
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        return NULL;
    for (int k = 0; k < 7; k++)
        *(PyObject **)((char *)obj + at[k]) = Py_NewRef(fields[k]);
    return obj;
}

void
free_recs(Rec *recs, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_XDECREF(recs[k].span);
        Py_XDECREF(recs[k].after);
        Py_XDECREF(recs[k].code);
        Py_XDECREF(recs[k].app);
    }
    PyMem_Free(recs);
}

int
as_index(PyObject *span, Slot *slot, Py_ssize_t *out)
{
    PyObject *v = slot_get(span, slot);
    if (v == NULL)
        return -1;
    *out = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return *out == -1 && PyErr_Occurred() ? -1 : 0;
}

/* Each edit of the (code, fix) pairs, fix after fix, in ``*recs`` (PyMem); -1 on error. */
static Py_ssize_t
gather(PyObject *fixes, Rec **recs_out)
{
    Py_ssize_t n = 0, cap = PyList_GET_SIZE(fixes) + 4;
    Rec *recs = PyMem_Calloc((size_t)cap, sizeof(Rec));
    if (recs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(fixes); i++) {
        PyObject *pair = PyList_GET_ITEM(fixes, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "apply_fixes: fixes must be (code, fix) pairs");
            goto fail;
        }
        PyObject *fix = PyTuple_GET_ITEM(pair, 1);
        PyObject *app = slot_get(fix, &fix_app);
        PyObject *seq = app ? slot_get(fix, &fix_edits) : NULL;
        PyObject *edits = seq ? PySequence_Fast(seq, "a fix's edits must be a sequence") : NULL;
        Py_XDECREF(seq);
        if (edits == NULL) {
            Py_XDECREF(app);
            goto fail;
        }
        int bad = 0;
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(edits) && !bad; k++) {
            if (n == cap) {
                Rec *more = PyMem_Realloc(recs, (size_t)(cap * 2) * sizeof(Rec));
                if (more == NULL) {
                    PyErr_NoMemory();
                    bad = 1;
                    break;
                }
                memset(more + cap, 0, (size_t)cap * sizeof(Rec));
                recs = more;
                cap *= 2;
            }
            PyObject *e = PySequence_Fast_GET_ITEM(edits, k);
            Rec *r = &recs[n++];
            r->fix = i;
            r->code = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
            r->app = Py_NewRef(app);
            r->span = slot_get(e, &edit_span);
            r->after = r->span ? slot_get(e, &edit_after) : NULL;
            bad = r->after == NULL || as_index(r->span, &span_start, &r->start)
                  || as_index(r->span, &span_end, &r->end);
        }
        Py_DECREF(edits);
        Py_DECREF(app);
        if (bad)
            goto fail;
    }
    *recs_out = recs;
    return n;
fail:
    free_recs(recs, n);
    return -1;
}

/* Apply the gathered edits in order: the new text and the list of AppliedEdit. */
PyObject *
apply_recs(PyObject *text, Rec *recs, Py_ssize_t n, PyObject *pass_no, PyTypeObject *cls)
{
    PyObject *parts = PyList_New(0), *applied = PyList_New(n), *out = NULL;
    if (parts == NULL || applied == NULL)
        goto done;
    Py_ssize_t pos = 0, delta = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        Rec *r = &recs[k];
        PyObject *before = PyUnicode_Substring(text, r->start, r->end);
        PyObject *kept = before ? PyUnicode_Substring(text, pos, r->start) : NULL;
        PyObject *out_start = kept ? int_of(r->start + delta) : NULL;
        Py_ssize_t grow = out_start ? PyObject_Length(r->after) : -1;
        int rc = grow < 0 || PyList_Append(parts, kept) || PyList_Append(parts, r->after);
        if (!rc) {
            PyObject *fields[7] = {r->code, pass_no, r->span, before, r->after, out_start,
                                   r->app};
            PyObject *a = applied_edit(cls, fields);
            rc = a == NULL;
            if (a != NULL)
                PyList_SET_ITEM(applied, k, a);
            delta += grow - PyUnicode_GET_LENGTH(before);
            pos = r->end;
        }
        Py_XDECREF(before);
        Py_XDECREF(kept);
        Py_XDECREF(out_start);
        if (rc)
            goto done;
    }
    PyObject *tail = PyUnicode_Substring(text, pos, PY_SSIZE_T_MAX);
    if (tail == NULL || PyList_Append(parts, tail)) {
        Py_XDECREF(tail);
        goto done;
    }
    Py_DECREF(tail);
    PyObject *empty = PyUnicode_New(0, 0);
    PyObject *joined = empty ? PyUnicode_Join(empty, parts) : NULL;
    Py_XDECREF(empty);
    if (joined != NULL)
        out = PyTuple_Pack(2, joined, applied);
    Py_XDECREF(joined);
done:
    Py_XDECREF(parts);
    Py_XDECREF(applied);
    return out;
}

PyObject *
speedups_apply_fixes(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "apply_fixes() takes 5 arguments");
        return NULL;
    }
    PyObject *text = args[0], *fixes = args[1], *pass_no = args[2], *cls = args[4];
    int in_order = PyObject_IsTrue(args[3]);
    if (in_order < 0)
        return NULL;
    if (!PyUnicode_Check(text) || !PyList_Check(fixes) || !PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError,
                        "apply_fixes(text: str, fixes: list, pass_no, in_order, cls: type)");
        return NULL;
    }
    Rec *recs;
    Py_ssize_t n = gather(fixes, &recs);
    if (n < 0)
        return NULL;
    if (!in_order)
        qsort(recs, (size_t)n, sizeof(Rec), rec_order);
    PyObject *out = apply_recs(text, recs, n, pass_no, (PyTypeObject *)cls);
    free_recs(recs, n);
    return out;
}
