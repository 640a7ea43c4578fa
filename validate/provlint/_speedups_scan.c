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

/* What a pass needs to know of the needles, kept for the last needles asked about (the
 * rules ask about the same ones, in the same tuple, for every text). */
typedef struct {
    PyObject *needles;       /* that tuple (a reference), or NULL */
    int mark;                /* the mark's byte, or -1 */
    Py_ssize_t count;
    const char **s;          /* each needle's bytes (ASCII) */
    Py_ssize_t *len;
    Py_ssize_t *chain;       /* the next needle with the same first byte, or -1 */
    unsigned char *whole;    /* holds no mark: may be wholly before it */
    Py_ssize_t first[ALPHABET];  /* the first needle starting with each byte, or -1 */
    unsigned char table[PAIRS];  /* T_NEEDLE, T_MARK by pair of bytes (see PAIR) */
} Plan;

static Plan plan = {NULL, -1, 0, NULL, NULL, NULL, NULL, {0}, {0}};

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

static int
append_line(PyObject *out, Py_ssize_t i)
{
    PyObject *k = PyLong_FromSsize_t(i);
    int bad = k == NULL || PyList_Append(out, k) < 0;
    Py_XDECREF(k);
    return bad ? -1 : 0;
}

/* ``plan`` made for ``needles`` and ``mark``: 0, or -1 with an error set. */
static int
make_plan(PyObject *needles, int mark)
{
    if (plan.needles == needles && plan.mark == mark)
        return 0;
    Py_ssize_t count = PyTuple_GET_SIZE(needles);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *s = PyTuple_GET_ITEM(needles, k);
        if (!PyUnicode_Check(s) || !PyUnicode_IS_ASCII(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_SetString(PyExc_ValueError, "scan_lines: needles are non-empty ASCII strs");
            return -1;
        }
    }
    Py_CLEAR(plan.needles);
    PyMem_Free(plan.s);
    PyMem_Free(plan.len);
    PyMem_Free(plan.chain);
    PyMem_Free(plan.whole);
    plan.s = PyMem_Calloc((size_t)count + 1, sizeof(*plan.s));
    plan.len = PyMem_Calloc((size_t)count + 1, sizeof(*plan.len));
    plan.chain = PyMem_Calloc((size_t)count + 1, sizeof(*plan.chain));
    plan.whole = PyMem_Calloc((size_t)count + 1, 1);
    if (plan.s == NULL || plan.len == NULL || plan.chain == NULL || plan.whole == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(plan.table, 0, sizeof(plan.table));
    for (int a = 0; a < ALPHABET; a++)
        plan.first[a] = -1;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *s = PyTuple_GET_ITEM(needles, k);
        const char *bytes = (const char *)PyUnicode_DATA(s);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        unsigned char a = (unsigned char)bytes[0];
        plan.s[k] = bytes;
        plan.len[k] = len;
        plan.whole[k] = mark < 0 || memchr(bytes, mark, (size_t)len) == NULL;
        plan.chain[k] = plan.first[a];
        plan.first[a] = k;
        for (int b = 0; b < ALPHABET; b++)
            if (len == 1 || b == (unsigned char)bytes[1])
                plan.table[a | b << 8] |= T_NEEDLE;
    }
    for (int b = 0; b < ALPHABET && mark >= 0; b++)
        plan.table[mark | b << 8] |= T_MARK;
    plan.needles = Py_NewRef(needles);
    plan.mark = mark;
    plan.count = count;
    return 0;
}

/* Does needle ``k`` start at ``p`` of ``buf`` (``n`` bytes; its first byte is known to agree)? */
static inline int
starts_at(const unsigned char *buf, Py_ssize_t n, Py_ssize_t p, Py_ssize_t k)
{
    Py_ssize_t len = plan.len[k];
    if (len > n - p)
        return 0;
    for (Py_ssize_t j = 1; j < len; j++)
        if (buf[p + j] != (unsigned char)plan.s[k][j])
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
scan(const unsigned char *buf, Py_ssize_t n, PyObject **lines, Py_ssize_t nlines, Found *fd)
{
    const unsigned char *table = plan.table;
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
            for (Py_ssize_t k = 0; !at.marked && k < plan.count; k++)
                if (fd[k].pend == at.i && append_line(fd[k].before, at.i) < 0)
                    return -1;
            at.marked = 1;
        }
        if (!(t & T_NEEDLE))
            continue;
        for (Py_ssize_t k = plan.first[buf[p]]; k >= 0; k = plan.chain[k]) {
            if (!starts_at(buf, n, p, k))
                continue;
            if (move_to(&at, p) < 0)
                return -1;
            if (fd[k].last != at.i) {
                if (append_line(fd[k].hold, at.i) < 0)
                    return -1;
                fd[k].last = at.i;
            }
            if (!at.marked && plan.whole[k])
                fd[k].pend = at.i;
        }
    }
    return 0;
}

/* checks.scan._scan_lines_py: (hold, before), for each needle the lines where it starts and
 * the lines where it is wholly before the line's first mark; None for a text holding one of
 * scan._ODD. */
PyObject *
speedups_scan_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *lines, *needles, *mark_str;
    if (!PyArg_ParseTuple(args, "UOO!U:scan_lines", &text, &lines, &PyTuple_Type, &needles,
                          &mark_str))
        return NULL;
    if (PyUnicode_GET_LENGTH(mark_str) > 1 || !PyUnicode_IS_ASCII(mark_str)) {
        PyErr_SetString(PyExc_ValueError, "scan_lines: the mark is one ASCII character or \"\"");
        return NULL;
    }
    int mark = PyUnicode_GET_LENGTH(mark_str) ? ((const unsigned char *)PyUnicode_DATA(mark_str))[0]
                                              : -1;
    if (make_plan(needles, mark) < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "scan_lines: lines must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = plan.count, n = PyUnicode_GET_LENGTH(text);
    Found *fd = PyMem_Calloc((size_t)count + 1, sizeof(Found));
    unsigned char *buf = PyMem_Malloc((size_t)n + 1);
    PyObject *result = NULL, *hold = PyList_New(count), *before = PyList_New(count);
    if (fd == NULL || buf == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (hold == NULL || before == NULL)
        goto done;
    if (fold_into(text, buf)) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        fd[k].last = fd[k].pend = -1;
        fd[k].hold = PyList_New(0);
        fd[k].before = PyList_New(0);
        if (fd[k].hold == NULL || fd[k].before == NULL)
            goto done;
        PyList_SET_ITEM(hold, k, Py_NewRef(fd[k].hold));
        PyList_SET_ITEM(before, k, Py_NewRef(fd[k].before));
    }
    Py_ssize_t nlines = PySequence_Fast_GET_SIZE(seq);
    if (nlines > 0 && scan(buf, n, PySequence_Fast_ITEMS(seq), nlines, fd) < 0)
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
    PyMem_Free(buf);
    Py_DECREF(seq);
    return result;
}
