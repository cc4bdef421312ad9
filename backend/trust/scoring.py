"""Score arithmetic on a party's 90-day counters: pure, bounded, monotone in every signal, explainable."""

from backend.trust import weights


def breakdown(counts, role):
    """Per signal that counts for `role`: {signal, count, points_each, cap, points} (points already capped)."""
    rows = []
    for signal in weights.SIGNALS:
        if role not in signal.roles:
            continue
        count = max(0, int(counts.get(signal.name) or 0))
        raw = count * signal.points
        points = max(-signal.cap, min(signal.cap, raw))
        rows.append(
            {
                "signal": signal.name,
                "count": count,
                "points_each": signal.points,
                "cap": signal.cap,
                "points": round(points, 2),
                "wired": signal.wired,
            }
        )
    return rows


def hard_gated(counts, role):
    """The hard gates (a confirmed fake plate) that hold this party's score at 0."""
    return [name for name in weights.HARD_GATES if role in weights.BY_NAME[name].roles and (counts.get(name) or 0) > 0]


def score(counts, role):
    """0..100: BASE plus the capped points of every signal, or 0 under a hard gate."""
    if hard_gated(counts, role):
        return 0
    total = weights.BASE + sum(row["points"] for row in breakdown(counts, role))
    return int(round(max(0, min(100, total))))


def grade(score_value, loads):
    """The letter once the party has GRADED_AFTER_LOADS completed loads in the window, else None (new)."""
    if loads < weights.GRADED_AFTER_LOADS:
        return None
    return next(letter for letter, floor in weights.GRADES if score_value >= floor)


def summary(counts, role):
    """Score, grade, loads, hard gates and the breakdown: what a party reads as its explanation."""
    value = score(counts, role)
    loads = int(counts.get("completed") or 0)
    rated = int(counts.get("ratings_n") or 0)
    return {
        "score": value,
        "grade": grade(value, loads),
        "loads": loads,
        "base": weights.BASE,
        "hard_gates": hard_gated(counts, role),
        "breakdown": breakdown(counts, role),
        "ratings": {
            "count": rated,
            "average": round((counts.get("ratings_stars") or 0) / rated, 2) if rated else None,
            "tags": {t: int(counts.get(f"tag_{t}") or 0) for t in weights.RATING_TAGS if counts.get(f"tag_{t}")},
        },
    }
