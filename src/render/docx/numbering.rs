//! List numbering: two real numbering definitions (bullets, numbers) and one numbering
//! instance per list, so every list restarts and Word renumbers it when it is edited.
//!
//! docx-rs writes its own abstractNum 1 and num 1; ours start at 2 (see docs/dependencies.md).

use docx_rs::{
    AbstractNumbering, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering,
    SpecialIndentType, Start,
};

/// The abstract numbering of bulleted lists.
const BULLETS: usize = 2;
/// The abstract numbering of numbered lists.
const NUMBERS: usize = 3;
/// The first numbering instance we hand out.
const FIRST_NUM: usize = 2;

/// Hanging indent of a list level (twips): where the text starts after the bullet.
pub const HANGING: i32 = 360;
/// How far each nesting level moves in (twips).
const STEP: i32 = 360;

/// Left text indent of a list level (twips), also used by the `List Continue` styles.
pub fn text_indent(level: usize) -> i32 {
    HANGING + STEP * level as i32
}

/// The two definitions, nine levels each.
pub fn definitions() -> Vec<AbstractNumbering> {
    let bullets = ["\u{2022}", "\u{25E6}", "\u{25AA}"];
    let formats = ["decimal", "lowerLetter", "lowerRoman"];
    let mut b = AbstractNumbering::new(BULLETS);
    let mut n = AbstractNumbering::new(NUMBERS);
    for lvl in 0..9 {
        let indent = |l: Level| {
            l.indent(
                Some(text_indent(lvl)),
                Some(SpecialIndentType::Hanging(HANGING)),
                None,
                None,
            )
        };
        b = b.add_level(indent(Level::new(
            lvl,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new(bullets[lvl % 3]),
            LevelJc::new("left"),
        )));
        n = n.add_level(indent(Level::new(
            lvl,
            Start::new(1),
            NumberFormat::new(formats[lvl % 3]),
            LevelText::new(format!("%{}.", lvl + 1)),
            LevelJc::new("left"),
        )));
    }
    vec![b, n]
}

/// Hands out one numbering instance per list.
#[derive(Debug, Default)]
pub struct Lists {
    nums: Vec<Numbering>,
}

impl Lists {
    /// A new list at nesting `level`, starting at `start`: its `numId`. The start override
    /// makes the list restart instead of continuing the previous list of its kind.
    pub fn start(&mut self, ordered: bool, start: u64, level: usize) -> usize {
        let num_id = FIRST_NUM + self.nums.len();
        let abstract_id = if ordered { NUMBERS } else { BULLETS };
        let start = usize::try_from(start).unwrap_or(1).min(32767);
        self.nums.push(
            Numbering::new(num_id, abstract_id)
                .add_override(LevelOverride::new(level).start(start)),
        );
        num_id
    }

    /// The instances handed out, in order.
    pub fn into_numberings(self) -> Vec<Numbering> {
        self.nums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_gets_its_own_instance_from_id_2() {
        let mut l = Lists::default();
        assert_eq!(l.start(true, 1, 0), 2);
        assert_eq!(l.start(false, 1, 1), 3);
        assert_eq!(l.start(true, 4, 0), 4);
        let nums = l.into_numberings();
        assert_eq!(nums.len(), 3);
        assert_eq!(nums[0].abstract_num_id, NUMBERS);
        assert_eq!(nums[1].abstract_num_id, BULLETS);
    }
}
