// Python source, part of the agentless normalizer's worker (see agentless-worker-model.ts): where
// a patched file differs from its original, as separate regions, so that a patch touching an
// import and a method re-renders those two places, not everything between them. Any alignment
// of unchanged lines is a correct answer (the model re-renders the statements around each
// region from the new text); the original's top-level statements and class members serve as
// anchors. Also the line and span helpers of the per-statement model, and the widening of a
// segment (statements or members re-rendered together) whose new text does not parse alone.
export const AGENTLESS_WORKER_REGIONS = String.raw`def common_run(old, new, a, b, limit):
    """How many lines old[a:] and new[b:] have in common at their start (at most limit); by
    halving, each step one list comparison."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if old[a + low:a + mid] == new[b + low:b + mid]:
            low = mid
        else:
            high = mid - 1
    return low


def find_block(lines, block, begin, end):
    """First k in [begin, end - len(block)] where lines[k:k + len(block)] == block, or None."""
    k = begin
    while True:
        try:
            k = lines.index(block[0], k, end - len(block) + 1)
        except ValueError:
            return None
        if lines[k:k + len(block)] == block:
            return k
        k += 1


def changed_regions(old, new, spans):
    """[(p, q, shift, delta)]: the new lines are the old ones with old lines [p, q) replaced by
    new lines [p + shift, q + delta), regions in order, the old lines between two regions at the
    previous region's delta in new. spans: [first, end) lines of the original's statements and
    class members, by first line."""
    limit = min(len(old), len(new))
    p = common_run(old, new, 0, 0, limit)
    if p == len(old) == len(new):
        return []
    s = common_run(old[::-1], new[::-1], 0, 0, limit - p)
    old_end, new_end = len(old) - s, len(new) - s
    found = []
    start, shift = p, 0  # the open region: old lines from start, new lines from start + shift
    for a, b in spans:
        if a <= start or b > old_end:
            continue
        # a statement the patch did not touch: where it was (at the current shift) or the first
        # place after the open region's start where its lines are
        at = a + shift
        # (within the lines before the common end: those are the end's, not this statement's)
        if at + b - a > new_end or new[at:at + b - a] != old[a:b]:
            at = find_block(new, old[a:b], start + shift, new_end)
            if at is None:
                continue
        if a > start or at > start + shift:
            found.append((start, a, shift, at - a))
        start, shift = b, at - a
    if start < old_end or start + shift < new_end:
        found.append((start, old_end, shift, new_end - old_end))
    regions = []
    for a, b, before, after in found:
        # the region's own unchanged first and last lines
        while a < b and a + before < b + after and old[a] == new[a + before]:
            a += 1
        while a < b and a + before < b + after and old[b - 1] == new[b - 1 + after]:
            b -= 1
        if a < b or a + before < b + after:
            regions += finer_regions(old, new, a, b, before, after)
    return regions


def finer_regions(old, new, a, b, before, after):
    """The region (a, b, before, after) as the separate changes difflib's line matching finds
    in it (a method added at a class's end and an edit of the next function's docstring: two
    places, not one region across both statements); one region when it is long."""
    if (b - a) + (b + after - a - before) > 4000:
        return [(a, b, before, after)]
    matcher = difflib.SequenceMatcher(None, old[a:b], new[a + before:b + after], autojunk=False)
    return [(a + i1, a + i2, before + j1 - i1, before + j2 - i2)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def changed_lines(old, new, p, q, shift, delta):
    """First and last old line of the change [p, q) (new lines [p + shift, q + delta)): for an
    insertion the line after it, or the line before it when the first inserted line of code is
    indented deeper than the line after (it goes on the statement before: a method's new last
    lines); with the line before when that one ends in a backslash (a continuation into the
    changed lines)."""
    lo = min(p, len(old) - 1)
    hi = q - 1 if q > p else lo
    if q == p and 0 < p < len(old):
        for line in new[p + shift:q + delta]:
            code = line.lstrip(" \t")
            if code and not code.startswith("#"):
                if len(line) - len(code) > len(indentation(old[p])):
                    lo = hi = p - 1
                break
    if p > 0 and old[p - 1].rstrip().endswith("\\"):
        lo = p - 1
    return lo, hi


def leaves_block(lines, head_indent):
    """Whether new lines of a method's body hold code no deeper than its def line (a new member
    of the class after it: the class re-renders its members there, no use trying the method)."""
    for line in lines:
        code = line.lstrip(" \t")
        if code and not code.startswith("#") and len(line) - len(code) <= len(head_indent):
            return True
    return False


# how many times a segment whose new text does not parse is widened before giving up
WIDENINGS = 3


def widened(segments, k, low, high):
    """segments ([a, b, parts]: units a..b and their changed ranges, in order, apart) with
    segment k one unit wider on each side (within low..high) and merged with the segments it
    then reaches; None when it cannot grow. A wider segment re-renders more from the new text:
    this is for a change whose new lines do not parse on their own (an alignment of unchanged
    lines that cut a statement, a change that moved a statement's end)."""
    a, b = max(segments[k][0] - 1, low), min(segments[k][1] + 1, high)
    if [a, b] == segments[k][:2]:
        return None
    i, j = k, k + 1  # segments i..j-1 are reached (segment k always: a gap one can lie past b)
    while i > 0 and segments[i - 1][1] >= a:
        i -= 1
    while j < len(segments) and segments[j][0] <= b:
        j += 1
    reached = segments[i:j]
    merged = [min(a, reached[0][0]), max(b, reached[-1][1]), [r for s in reached for r in s[2]]]
    return segments[:i] + [merged] + segments[j:]


def assembled_widening(assemble, segments, low, high, stats, key):
    """assemble(segments) -> (result, index of the segment whose new text does not parse or
    None, why), retried with that segment widened (within low..high) up to WIDENINGS times:
    (result or None, why). A result that needed widening is counted in stats as key + ":<n>"."""
    for widening in range(WIDENINGS + 1):
        result, failed, why = assemble(segments)
        if result is not None:
            if widening:
                stats[key + ":" + str(widening)] = stats.get(key + ":" + str(widening), 0) + 1
            return result, None
        if failed is None or widening == WIDENINGS:
            break
        segments = widened(segments, failed, low, high)
        if segments is None:
            break
    return None, why


def whole_file(content, why):
    """The Model of a patched content made from its own parse (pieces per top-level statement);
    why: the reason, counted in STATS as "file:<why>"."""
    STATS["file"] = STATS.get("file", 0) + 1
    STATS["file:" + why] = STATS.get("file:" + why, 0) + 1
    return Model(content, members=False)


def spans_of(body, line_count):
    """[first line, end line) of each top-level statement (0-based, decorators included; the
    first also holds what comes before it); statements sharing a line share one span."""
    starts = []
    for stmt in body:
        decorators = getattr(stmt, "decorator_list", None) or []
        starts.append(min([stmt.lineno] + [d.lineno for d in decorators]) - 1)
    if starts:
        starts[0] = 0
    bounds = sorted(set(starts)) + [line_count]
    end_of = {start: bounds[k + 1] for k, start in enumerate(bounds[:-1])}
    return [(start, end_of[start]) for start in starts]


def piece_at(spans, line, last):
    """Index of the first (or last) statement whose span holds the line."""
    found = None
    for k, (start, end) in enumerate(spans):
        if start <= line < end:
            if not last:
                return k
            found = k
    return found


`;
