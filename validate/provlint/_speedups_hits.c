/* The engine's per-hit bookkeeping in C: engine._collect_py (a rule's
 * hits as the engine's sortable tuples).
 */
#include "_speedups.h"
#include "structmember.h"

/* One attribute read by name: where a __slots__ class keeps it (its member descriptor's
 * offset), valid while the class's version tag is (any change to the class or a base
 * renews the tag). */
typedef struct {
    const char *name;
    PyObject *key; /* the interned name, made on first use */
    PyTypeObject *type;
    unsigned int version;
    Py_ssize_t offset;
} Slot;

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
static PyObject *
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
    PyObject *at = message ? PyLong_FromSsize_t(index) : NULL;
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

