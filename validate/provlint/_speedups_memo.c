/* A cache of a one-argument function's results (lines.cached_line_test in C).
 *
 * functools.lru_cache, the pure twin, costs a line-text lookup more than the lookup
 * itself: in 3.11 it has no vectorcall (each call packs an argument tuple), makes a
 * key, and moves the entry to the front of its recency list. Every line of every fix
 * pass asks several such caches (a shape, a compare key, a phrase entry), so this one
 * is a dict and nothing more: a hit is one dict lookup. When it holds ``maxsize``
 * results it forgets them all, instead of the least recently used one; a cached
 * function is pure, so what a call returns is the same either way.
 */
#include "_speedups.h"
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *func;
    PyObject *results;  /* argument -> result */
    Py_ssize_t maxsize;
    PyObject *attrs;  /* __dict__: __name__, __doc__, __module__ as the wrapped function's */
    vectorcallfunc vectorcall;
} Memo;

/* The result for ``arg``: remembered, or func(arg) remembered from now on. */
static inline PyObject *
memo_get(Memo *m, PyObject *arg)
{
    PyObject *found = PyDict_GetItemWithError(m->results, arg);
    if (found != NULL)
        return Py_NewRef(found);
    if (PyErr_Occurred())
        return NULL;
    PyObject *res = PyObject_CallOneArg(m->func, arg);
    if (res == NULL)
        return NULL;
    if (PyDict_GET_SIZE(m->results) >= m->maxsize)
        PyDict_Clear(m->results);
    if (PyDict_SetItem(m->results, arg, res) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

static PyObject *
memo_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    if (PyVectorcall_NARGS(nargsf) != 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames))) {
        PyErr_SetString(PyExc_TypeError, "a memo takes one positional argument");
        return NULL;
    }
    return memo_get((Memo *)self, args[0]);
}

static PyObject *
memo_cache_clear(PyObject *self, PyObject *unused)
{
    PyDict_Clear(((Memo *)self)->results);
    Py_RETURN_NONE;
}

static PyObject *
memo_len(PyObject *self, PyObject *unused)
{
    return PyLong_FromSsize_t(PyDict_GET_SIZE(((Memo *)self)->results));
}

/* Pickled by name, as functools.lru_cache's wrapper is: the module attribute it is. */
static PyObject *
memo_reduce(PyObject *self, PyObject *unused)
{
    return PyObject_GetAttrString(self, "__qualname__");
}

static int
memo_traverse(PyObject *self, visitproc visit, void *arg)
{
    Memo *m = (Memo *)self;
    Py_VISIT(m->func);
    Py_VISIT(m->results);
    Py_VISIT(m->attrs);
    return 0;
}

static int
memo_clear(PyObject *self)
{
    Memo *m = (Memo *)self;
    Py_CLEAR(m->func);
    Py_CLEAR(m->results);
    Py_CLEAR(m->attrs);
    return 0;
}

static void
memo_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    memo_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyMethodDef memo_methods[] = {
    {"cache_clear", memo_cache_clear, METH_NOARGS, "Forget every remembered result."},
    {"cache_len", memo_len, METH_NOARGS, "How many results are remembered."},
    {"__reduce__", memo_reduce, METH_NOARGS, "The memo's name (pickled by reference)."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef memo_members[] = {
    {"__wrapped__", T_OBJECT, offsetof(Memo, func), READONLY, "The cached function."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject MemoType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "provlint._speedups.Memo",
    .tp_basicsize = sizeof(Memo),
    .tp_dealloc = memo_dealloc,
    .tp_vectorcall_offset = offsetof(Memo, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "memo(func, maxsize): func's results, remembered (see _speedups_memo.c).",
    .tp_traverse = memo_traverse,
    .tp_clear = memo_clear,
    .tp_methods = memo_methods,
    .tp_members = memo_members,
    .tp_dictoffset = offsetof(Memo, attrs),
};

/* memo(func, maxsize) -> Memo */
PyObject *
speedups_memo(PyObject *self, PyObject *args)
{
    PyObject *func;
    Py_ssize_t maxsize;
    if (!PyArg_ParseTuple(args, "On:memo", &func, &maxsize))
        return NULL;
    if (!PyCallable_Check(func) || maxsize < 1) {
        PyErr_SetString(PyExc_ValueError, "memo(func, maxsize): a callable and a size >= 1");
        return NULL;
    }
    if (MemoType.tp_dict == NULL && PyType_Ready(&MemoType) < 0)
        return NULL;
    Memo *m = PyObject_GC_New(Memo, &MemoType);
    if (m == NULL)
        return NULL;
    m->func = Py_NewRef(func);
    m->results = PyDict_New();
    m->maxsize = maxsize;
    m->attrs = NULL;
    m->vectorcall = memo_vectorcall;
    if (m->results == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    PyObject_GC_Track(m);
    return (PyObject *)m;
}
