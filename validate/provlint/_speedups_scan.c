/* The needle scan of checks.scan for provlint._speedups: one pass over a folded text
 * finds the lines holding each of several needles, where the pure twin
 * (checks.scan._scan_lines_py) makes one str.find pass per needle.
 *
 * The text is folded as checks.scan.lowered folds it (ASCII letters lowercased, every
 * other character "?") into a byte buffer; a table indexed by each pair of
 * neighbouring bytes says whether a needle (or the mark) may start there, so the
 * pass costs a table look-up per byte and compares needles only at the few
 * positions whose first two bytes agree. */
#include "_speedups.h"

#include <string.h>

#define ALPHABET 128         /* folded bytes are ASCII */
#define PAIRS (ALPHABET << 8)
/* the table index of the bytes at p and p + 1 */
#define PAIR(buf, p) pair_at((buf) + (p))
#define T_NEEDLE 1           /* a needle may start at this pair */
#define T_MARK 2             /* the first byte is the mark */
#define LINE_START 1         /* lines.Line.start */

/* The bytes at ``b`` and ``b + 1`` as one number (one 16-bit load where it is little-endian). */
static inline unsigned
pair_at(const unsigned char *b)
{
#if PY_LITTLE_ENDIAN
    uint16_t v;
    memcpy(&v, b, 2);
    return v;
#else
    return b[0] | b[1] << 8;
#endif
}

/* One needle. */
typedef struct {
    const char *s;           /* its bytes (ASCII) */
    Py_ssize_t len;
    Py_ssize_t chain;        /* the next needle with the same first byte, or -1 */
    int whole;               /* holds no mark: may be wholly before it */
} Needle;

/* The needles and the mark, with the table of the byte pairs they start with: made once
 * per needles (scan_plan), held by a capsule. */
typedef struct {
    PyObject *needles;       /* the tuple (a reference: it holds the bytes) */
    Py_ssize_t count;
    Needle *nd;
    Py_ssize_t first[ALPHABET];  /* the first needle starting with each byte, or -1 */
    unsigned char table[PAIRS];  /* T_NEEDLE, T_MARK by pair of bytes (see PAIR) */
} Plan;

#define PLAN_NAME "provlint._speedups.scan_plan"

/* What one pass finds of one needle. */
typedef struct {
    Py_ssize_t last;         /* the last line recorded in hold, or -1 */
    Py_ssize_t pend;         /* the last line where it starts before that line's first mark */
    PyObject *hold, *before; /* lists of line indices */
} Found;

/* The folded form of character ``c``: ASCII letters lowercased, every other character
 * "?". Branch-free, so the loops below are vectorised. */
#define FOLD(c) lower_ascii((c) < 128 ? (unsigned char)(c) : '?')
static inline unsigned char
lower_ascii(unsigned char b)
{
    return (unsigned char)(b + ((unsigned char)(b - 'A') < 26 ? 32 : 0));
}

/* str.lower() or re.IGNORECASE can take these to an ASCII letter (scan._ODD) */
#define ODD(c) ((((c) | 1) == 0x131) | ((c) == 0x17f) | ((c) == 0x212a))

/* ``text`` folded into ``buf`` (its length + 1 bytes, the last 0): 0, or 1 when the
 * text holds a character of scan._ODD (folding cannot stand for it). */
static int
fold_into(PyObject *text, unsigned char *buf)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    unsigned odd = 0;
    buf[n] = 0;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:  /* no character of scan._ODD is below 256 */
        for (Py_ssize_t p = 0; p < n; p++)
            buf[p] = FOLD(((const Py_UCS1 *)data)[p]);
        break;
    case PyUnicode_2BYTE_KIND:
        {
            uint16_t odd2 = 0;  /* 16-bit lanes: the loop is vectorised at full width */
            for (Py_ssize_t p = 0; p < n; p++) {
                uint16_t c = ((const Py_UCS2 *)data)[p];
                odd2 |= (uint16_t)ODD(c);
                buf[p] = FOLD(c);
            }
            odd = odd2;
        }
        break;
    default:
        for (Py_ssize_t p = 0; p < n; p++) {
            Py_UCS4 c = ((const Py_UCS4 *)data)[p];
            odd |= ODD(c);
            buf[p] = FOLD(c);
        }
    }
    return odd != 0;
}

/* The last text folded and its folded bytes, kept for the next pass over the same text:
 * scan_lines and credit_candidates both fold each text of a fix pass. */
static PyObject *kept_text;
static unsigned char *kept_fold;

/* ``text`` folded (as fold_into) into a buffer of its length + FOLD_PAD bytes, the
 * last FOLD_PAD of them NUL; the caller owns it and hands it back with fold_done.
 * NULL with *odd set for a text holding one of scan._ODD, or with an error set. Taking
 * the kept buffer out (instead of lending it) stays right if a call in between folds
 * another text. */
unsigned char *
fold_take(PyObject *text, int *odd)
{
    *odd = 0;
    if (kept_text == text && kept_fold != NULL) {
        unsigned char *buf = kept_fold;
        kept_fold = NULL;
        Py_CLEAR(kept_text);
        return buf;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    unsigned char *buf = PyMem_Malloc((size_t)n + FOLD_PAD);
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memset(buf + n, 0, FOLD_PAD);
    if (fold_into(text, buf)) {
        PyMem_Free(buf);
        *odd = 1;
        return NULL;
    }
    return buf;
}

/* Hand back ``buf``, ``text`` folded by fold_take: kept for the text's next fold. */
void
fold_done(PyObject *text, unsigned char *buf)
{
    unsigned char *old = kept_fold;
    kept_fold = NULL;
    PyMem_Free(old);
    Py_XSETREF(kept_text, Py_NewRef(text));
    kept_fold = buf;
}

/* The start of line ``i`` of ``lines`` (a sequence of lines.Line), or -1 with an error set. */
static Py_ssize_t
start_of(PyObject **lines, Py_ssize_t i)
{
    PyObject *ln = lines[i];
    if (!PyTuple_Check(ln) || PyTuple_GET_SIZE(ln) <= LINE_START) {
        PyErr_SetString(PyExc_TypeError, "scan_lines: expected lines.Line values");
        return -1;
    }
    Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(ln, LINE_START));
    if (start < 0 && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "scan_lines: a line starts before the text");
    return start;
}

static void
free_plan(PyObject *capsule)
{
    Plan *plan = PyCapsule_GetPointer(capsule, PLAN_NAME);
    if (plan == NULL)
        return;
    Py_XDECREF(plan->needles);
    PyMem_Free(plan->nd);
    PyMem_Free(plan);
}

/* scan_plan(needles, mark): what scan_lines needs to know of the needles (non-empty ASCII
 * strs) and the mark (one ASCII character, or "" for none), as a capsule. */
PyObject *
speedups_scan_plan(PyObject *self, PyObject *args)
{
    PyObject *needles, *mark_str;
    if (!PyArg_ParseTuple(args, "O!U:scan_plan", &PyTuple_Type, &needles, &mark_str))
        return NULL;
    if (PyUnicode_GET_LENGTH(mark_str) > 1 || !PyUnicode_IS_ASCII(mark_str)) {
        PyErr_SetString(PyExc_ValueError, "scan_plan: the mark is one ASCII character or \"\"");
        return NULL;
    }
    int mark = PyUnicode_GET_LENGTH(mark_str) ? ((const unsigned char *)PyUnicode_DATA(mark_str))[0]
                                              : -1;
    Py_ssize_t count = PyTuple_GET_SIZE(needles);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *s = PyTuple_GET_ITEM(needles, k);
        if (!PyUnicode_Check(s) || !PyUnicode_IS_ASCII(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_SetString(PyExc_ValueError, "scan_plan: needles are non-empty ASCII strs");
            return NULL;
        }
    }
    Plan *plan = PyMem_Calloc(1, sizeof(Plan));
    Needle *nd = PyMem_Calloc((size_t)count + 1, sizeof(Needle));
    if (plan == NULL || nd == NULL) {
        PyMem_Free(plan);
        PyMem_Free(nd);
        return PyErr_NoMemory();
    }
    plan->needles = Py_NewRef(needles);
    plan->count = count;
    plan->nd = nd;
    for (int a = 0; a < ALPHABET; a++)
        plan->first[a] = -1;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *s = PyTuple_GET_ITEM(needles, k);
        Needle *e = &nd[k];
        e->s = (const char *)PyUnicode_DATA(s);
        e->len = PyUnicode_GET_LENGTH(s);
        e->whole = mark < 0 || memchr(e->s, mark, (size_t)e->len) == NULL;
        unsigned char a = (unsigned char)e->s[0];
        e->chain = plan->first[a];
        plan->first[a] = k;
        for (int b = 0; b < ALPHABET; b++)
            if (e->len == 1 || b == (unsigned char)e->s[1])
                plan->table[a | b << 8] |= T_NEEDLE;
    }
    for (int b = 0; b < ALPHABET && mark >= 0; b++)
        plan->table[mark | b << 8] |= T_MARK;
    PyObject *capsule = PyCapsule_New(plan, PLAN_NAME, free_plan);
    if (capsule == NULL) {
        Py_DECREF(plan->needles);
        PyMem_Free(nd);
        PyMem_Free(plan);
    }
    return capsule;
}

/* Does needle ``e`` start at ``p`` of ``buf`` (``n`` bytes; its first byte is known to agree)? */
static inline int
starts_at(const unsigned char *buf, Py_ssize_t n, Py_ssize_t p, const Needle *e)
{
    if (e->len > n - p)
        return 0;
    for (Py_ssize_t j = 1; j < e->len; j++)
        if (buf[p + j] != (unsigned char)e->s[j])
            return 0;
    return 1;
}

/* Where a pass is among the lines. */
typedef struct {
    PyObject **lines;
    Py_ssize_t nlines;
    Py_ssize_t i;            /* the line of the last hit */
    Py_ssize_t next;         /* where line i + 1 starts (PY_SSIZE_T_MAX after the last) */
    int marked;              /* line i's first mark is behind */
} Cursor;

/* Moves ``at`` on to the line holding ``p`` (not before its line): hits are far fewer
 * than lines, so it gallops, then halves, reading few of the starts between. 0, or -1
 * with an error set. */
static int
move_to(Cursor *at, Py_ssize_t p)
{
    if (p < at->next)
        return 0;
    Py_ssize_t lo = at->i + 1, hi = lo + 1, step = 1, start;  /* lines[lo] starts <= p */
    while (hi < at->nlines) {
        if ((start = start_of(at->lines, hi)) < 0)
            return -1;
        if (start > p)
            break;
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    hi = hi < at->nlines ? hi : at->nlines;  /* lines[hi] starts after p, or is none */
    while (hi - lo > 1) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if ((start = start_of(at->lines, mid)) < 0)
            return -1;
        if (start <= p)
            lo = mid;
        else
            hi = mid;
    }
    at->i = lo;
    at->next = lo + 1 < at->nlines ? start_of(at->lines, lo + 1) : PY_SSIZE_T_MAX;
    at->marked = 0;
    return at->next < 0 ? -1 : 0;
}

/* The pass: fills each needle's hold and before lists; 0, or -1 with an error set. */
static int
scan(const unsigned char *buf, Py_ssize_t n, PyObject **lines, Py_ssize_t nlines,
     const Plan *plan, Found *fd)
{
    const unsigned char *table = plan->table;
    const Needle *nd = plan->nd;
    Cursor at = {lines, nlines, 0, nlines > 1 ? start_of(lines, 1) : PY_SSIZE_T_MAX, 0};
    if (at.next < 0)
        return -1;
    for (Py_ssize_t p = 0; p < n; p++) {
        /* most positions start nothing: passed over four at a time (buf[n] is 0) */
        while (p + 4 <= n && !(table[PAIR(buf, p)] | table[PAIR(buf, p + 1)]
                               | table[PAIR(buf, p + 2)] | table[PAIR(buf, p + 3)]))
            p += 4;
        if (p >= n)
            break;
        unsigned char t = table[PAIR(buf, p)];
        if (t & T_MARK) {
            if (move_to(&at, p) < 0)
                return -1;
            for (Py_ssize_t k = 0; !at.marked && k < plan->count; k++)
                if (fd[k].pend == at.i && push_index(fd[k].before, at.i) < 0)
                    return -1;
            at.marked = 1;
        }
        if (!(t & T_NEEDLE))
            continue;
        for (Py_ssize_t k = plan->first[buf[p]]; k >= 0; k = nd[k].chain) {
            if (!starts_at(buf, n, p, &nd[k]))
                continue;
            if (move_to(&at, p) < 0)
                return -1;
            if (fd[k].last != at.i) {
                if (push_index(fd[k].hold, at.i) < 0)
                    return -1;
                fd[k].last = at.i;
            }
            if (!at.marked && nd[k].whole)
                fd[k].pend = at.i;
        }
    }
    return 0;
}

/* scan_lines(text, lines, plan): checks.scan._scan_lines_py(text, lines, needles, mark) for
 * plan = scan_plan(needles, mark): (hold, before), for each needle the lines where it
 * starts and those where it is wholly before the line's first mark; None for a text
 * holding one of scan._ODD. */
PyObject *
speedups_scan_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *lines, *capsule;
    if (!PyArg_ParseTuple(args, "UOO:scan_lines", &text, &lines, &capsule))
        return NULL;
    const Plan *plan = PyCapsule_GetPointer(capsule, PLAN_NAME);
    if (plan == NULL)
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "scan_lines: lines must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_INCREF(capsule);  /* the plan lives while the pass uses it */
    Py_ssize_t count = plan->count, n = PyUnicode_GET_LENGTH(text);
    Found *fd = PyMem_Calloc((size_t)count + 1, sizeof(Found));
    int odd = 0;
    unsigned char *buf = NULL;
    PyObject *result = NULL, *hold = PyList_New(count), *before = PyList_New(count);
    if (fd == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (hold == NULL || before == NULL)
        goto done;
    if ((buf = fold_take(text, &odd)) == NULL) {
        if (odd)
            result = Py_NewRef(Py_None);
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        fd[k].last = fd[k].pend = -1;
        if ((fd[k].hold = PyList_New(0)) == NULL || (fd[k].before = PyList_New(0)) == NULL)
            goto done;
        PyList_SET_ITEM(hold, k, Py_NewRef(fd[k].hold));
        PyList_SET_ITEM(before, k, Py_NewRef(fd[k].before));
    }
    Py_ssize_t nlines = PySequence_Fast_GET_SIZE(seq);
    if (nlines > 0 && scan(buf, n, PySequence_Fast_ITEMS(seq), nlines, plan, fd) < 0)
        goto done;
    result = PyTuple_Pack(2, hold, before);
done:
    for (Py_ssize_t k = 0; fd != NULL && k < count; k++) {
        Py_XDECREF(fd[k].hold);
        Py_XDECREF(fd[k].before);
    }
    Py_XDECREF(hold);
    Py_XDECREF(before);
    PyMem_Free(fd);
    if (buf != NULL)
        fold_done(text, buf);
    Py_DECREF(seq);
    Py_DECREF(capsule);
    return result;
}
