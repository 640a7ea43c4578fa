/* One fix pass's rules run in C: rulerun._run_rules_py (each rule called on the
 * document with its options, its hits collected with collect_hits, a crash handed to
 * the engine's handler), without a Python loop, a ``**`` copy of each rule's options
 * and a ``list`` call per rule.
 *
 * A rule's exception is treated as the pure loop's ``try`` treats it: one of the
 * ``passthrough`` class, or one that is not an Exception (KeyboardInterrupt), leaves
 * at once; any other is given, with its traceback and as the exception being handled,
 * to ``crashed(out, ar, exc)``, and the next rule runs.
 */
#include "_speedups.h"

PyObject *speedups_collect_hits(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

static Slot active_rule = {"rule"}, rule_code = {"code"};

/* The rule's hits as a list: its result when that is a list (only read, never kept),
 * else list(result); NULL on error. */
static PyObject *
rule_hits(PyObject *func, PyObject *doc, PyObject *options)
{
    PyObject *res = PyObject_VectorcallDict(func, &doc, 1, options);
    if (res == NULL || PyList_CheckExact(res))
        return res;
    PyObject *found = PySequence_List(res);
    Py_DECREF(res);
    return found;
}

/* The pending exception of a crashed rule ``ar`` handed to ``crashed(out, ar, exc)``,
 * as the pure loop's ``except Exception as exc`` hands it: 0, or -1 with an error set
 * (the exception itself when it is one to let through). */
static int
handle_crash(PyObject *out, PyObject *ar, PyObject *crashed, PyObject *passthrough)
{
    if (!PyErr_ExceptionMatches(PyExc_Exception) || PyErr_ExceptionMatches(passthrough))
        return -1;
    /* the calling frame, as the interpreter adds each frame an exception passes through:
     * the traceback is never empty, even for a crash inside a C iterator */
    PyFrameObject *frame = PyEval_GetFrame();
    if (frame != NULL && PyTraceBack_Here(frame) < 0)
        return -1;
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    if (tb != NULL)
        PyException_SetTraceback(exc, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    PyObject *before = PyErr_GetHandledException();
    PyErr_SetHandledException(exc);
    PyObject *r = PyObject_CallFunctionObjArgs(crashed, out, ar, exc, NULL);
    PyErr_SetHandledException(before);
    Py_XDECREF(before);
    Py_DECREF(exc);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* The gate's answer for the text, as rulerun._idle keeps it: the last gate asked and its
 * answer, or NULL when the gate failed with an Exception (new references). */
typedef struct {
    PyObject *gate, *live;
} Gates;

/* Whether the ``guard`` (gate, key) says its rule finds nothing on ``text``
 * (rulerun._idle): 1 or 0, -1 on error. */
static int
idle(PyObject *text, PyObject *guard, Gates *gates)
{
    if (!PyTuple_Check(guard) || PyTuple_GET_SIZE(guard) != 2
        || !PyLong_Check(PyTuple_GET_ITEM(guard, 1))) {
        PyErr_SetString(PyExc_TypeError, "run_rules(): a guard is a tuple (gate, key: int)");
        return -1;
    }
    PyObject *gate = PyTuple_GET_ITEM(guard, 0);
    if (gates->gate != gate) {
        Py_CLEAR(gates->live);
        gates->live = PyObject_CallOneArg(gate, text);
        if (gates->live == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_Exception))
                return -1;
            PyErr_Clear();  /* the gate says nothing: its rules run */
        }
        Py_XSETREF(gates->gate, Py_NewRef(gate));
    }
    if (gates->live == NULL)
        return 0;
    Py_ssize_t key = PyLong_AsSsize_t(PyTuple_GET_ITEM(guard, 1));
    if (key == -1 && PyErr_Occurred())
        return -1;
    Py_ssize_t n = PyObject_Length(gates->live);
    if (n < 0)
        return -1;
    if (key >= n)
        return 0;
    PyObject *at = PySequence_GetItem(gates->live, key);
    int yes = at == NULL ? -1 : PyObject_IsTrue(at);
    Py_XDECREF(at);
    return yes < 0 ? -1 : !yes;
}

static PyObject *run_all(PyObject *self, PyObject *const *args, Gates *gates);

PyObject *
speedups_run_rules(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "run_rules() takes 7 arguments");
        return NULL;
    }
    Gates gates = {NULL, NULL};
    PyObject *r = run_all(self, args, &gates);
    Py_XDECREF(gates.gate);
    Py_XDECREF(gates.live);
    return r;
}

static Slot doc_text = {"text"};

static PyObject *
run_all(PyObject *self, PyObject *const *args, Gates *gates)
{
    PyObject *out = args[0], *doc = args[1], *active = args[2], *size = args[3],
             *lifted = args[4], *crashed = args[5], *passthrough = args[6];
    if (!PyList_Check(out) || !PyList_Check(active) || !PyLong_Check(size)) {
        PyErr_SetString(PyExc_TypeError, "run_rules(out: list, doc, active: list, size: int,"
                                         " lifted, crashed, passthrough)");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(active); i++) {
        PyObject *item = PyList_GET_ITEM(active, i);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 4
            || !PyDict_Check(PyTuple_GET_ITEM(item, 2))) {
            PyErr_SetString(PyExc_TypeError, "run_rules(): each active rule is a tuple"
                                             " (ar, func, options: dict, guard)");
            return NULL;
        }
        Py_INCREF(item);  /* held while the rule runs: ``active`` is the caller's list */
        PyObject *guard = PyTuple_GET_ITEM(item, 3);
        if (guard != Py_None) {
            PyObject *text = slot_get(doc, &doc_text);
            int skip = text == NULL ? -1 : idle(text, guard, gates);
            Py_XDECREF(text);
            if (skip != 0) {
                Py_DECREF(item);
                if (skip < 0)
                    return NULL;
                continue;
            }
        }
        PyObject *ar = PyTuple_GET_ITEM(item, 0);
        PyObject *found = rule_hits(PyTuple_GET_ITEM(item, 1), doc, PyTuple_GET_ITEM(item, 2));
        int rc = 0;
        if (found == NULL)
            rc = handle_crash(out, ar, crashed, passthrough);
        else if (PyList_GET_SIZE(found) > 0) {
            PyObject *rule = slot_get(ar, &active_rule);
            PyObject *code = rule ? slot_get(rule, &rule_code) : NULL;
            PyObject *call[6] = {out, found, code, ar, size, lifted};
            PyObject *r = code ? speedups_collect_hits(self, call, 6) : NULL;
            rc = r == NULL ? -1 : 0;
            Py_XDECREF(r);
            Py_XDECREF(code);
            Py_XDECREF(rule);
        }
        Py_XDECREF(found);
        Py_DECREF(item);
        if (rc < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}
