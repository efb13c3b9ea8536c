//! Walking a laid-out frame: each item but the groups, with its position and the transform
//! of the groups it stands in (what the overflow check, the page text and the deck's
//! drawing check read).

use typst::layout::{Frame, FrameItem, Point, Transform};

/// Call `f(pos, item, ts)` for every item of `frame` that is not a group, `ts` the
/// transform of the groups around it applied to `ts` given here.
pub fn visit(frame: &Frame, ts: Transform, f: &mut dyn FnMut(Point, &FrameItem, Transform)) {
    for (pos, item) in frame.items() {
        if let FrameItem::Group(g) = item {
            let inner = ts
                .pre_concat(Transform::translate(pos.x, pos.y))
                .pre_concat(g.transform);
            visit(&g.frame, inner, f);
        } else {
            f(*pos, item, ts);
        }
    }
}
