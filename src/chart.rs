//! A bar chart drawn as a PNG picture, for documents that must carry the picture itself (the
//! evaluation report): horizontal bars, one a row, each stacked from its parts, with the row's
//! label on the left and its figure at the bar's end. Drawn with embedded-graphics' primitives and
//! bitmap fonts (no system fonts, so the page with no server draws the same picture) and encoded by
//! the png crate. What the chart says in words goes in the document beside it, for readers who
//! cannot see it.

use embedded_graphics::mono_font::MonoTextStyle;
use embedded_graphics::mono_font::iso_8859_1::{FONT_9X15, FONT_10X20};
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Line, PrimitiveStyle, Rectangle};
use embedded_graphics::text::{Alignment, Baseline, Text, TextStyleBuilder};

/// One row: its label, its parts (one per series, drawn end to end) and the text at its end.
/// A row with no parts is drawn as its text alone (a failed bid).
pub struct Bar {
    pub label: String,
    pub parts: Vec<f64>,
    pub end: String,
}

pub struct BarChart {
    /// The series' names, in the parts' order (the legend).
    pub series: Vec<String>,
    /// The axis' last value (100 for a total out of 100).
    pub max: f64,
    /// What the axis measures, under it.
    pub axis: String,
    pub bars: Vec<Bar>,
}

/// A picture: its PNG bytes and size in pixels.
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const WIDTH: u32 = 800;
const ROW: u32 = 44;
const BAR: u32 = 26;
const LEFT: i32 = 300;
const RIGHT: i32 = 700;
const TOP: u32 = 50;
const BOTTOM: u32 = 70;
/// GOV.UK blue and orange: told apart by readers with any common colour-vision deficiency.
const COLOURS: [Rgb888; 4] = [Rgb888::new(0x1D, 0x70, 0xB8), Rgb888::new(0xF4, 0x77, 0x38), Rgb888::new(0x00, 0x70, 0x3C), Rgb888::new(0x4C, 0x2C, 0x92)];
const INK: Rgb888 = Rgb888::new(0x0B, 0x0C, 0x0C);
const GREY: Rgb888 = Rgb888::new(0x50, 0x5A, 0x5F);
const RULE: Rgb888 = Rgb888::new(0xB1, 0xB4, 0xB6);

struct Canvas {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl OriginDimensions for Canvas {
    fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }
}

impl DrawTarget for Canvas {
    type Color = Rgb888;
    type Error = std::convert::Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb888>>>(&mut self, pixels: I) -> Result<(), Self::Error> {
        for Pixel(p, c) in pixels {
            if p.x >= 0 && p.y >= 0 && (p.x as u32) < self.width && (p.y as u32) < self.height {
                let i = 3 * (p.y as usize * self.width as usize + p.x as usize);
                self.rgb[i..i + 3].copy_from_slice(&[c.r(), c.g(), c.b()]);
            }
        }
        Ok(())
    }
}

/// A label on one line, or on two split at a space where it is longer than `chars` characters;
/// what still does not fit is cut, an ellipsis marking the cut.
fn lines(text: &str, chars: usize) -> Vec<String> {
    let text = text.trim();
    if text.chars().count() <= chars {
        return vec![text.to_string()];
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut first = String::new();
    let mut used = 0;
    for w in &words {
        let next = if first.is_empty() { w.chars().count() } else { first.chars().count() + 1 + w.chars().count() };
        if next > chars {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(w);
        used += 1;
    }
    if used == 0 {
        return vec![fit(text, chars)];
    }
    vec![first, fit(&words[used..].join(" "), chars)]
}

/// A label cut to `chars` characters, an ellipsis marking the cut.
fn fit(text: &str, chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars.saturating_sub(3)).collect();
    format!("{}...", cut.trim_end())
}

/// The chart as a PNG picture.
pub fn draw(chart: &BarChart) -> Picture {
    let rows = chart.bars.len().max(1) as u32;
    let height = TOP + rows * ROW + BOTTOM;
    let mut c = Canvas { width: WIDTH, height, rgb: vec![0xFF; (WIDTH * height * 3) as usize] };
    let big = MonoTextStyle::new(&FONT_10X20, INK);
    let small = MonoTextStyle::new(&FONT_9X15, GREY);
    let at = |align, baseline| TextStyleBuilder::new().alignment(align).baseline(baseline).build();
    let max = if chart.max > 0.0 && chart.max.is_finite() { chart.max } else { 1.0 };
    let x_of = |v: f64| LEFT + ((v.clamp(0.0, max) / max) * f64::from(RIGHT - LEFT)).round() as i32;

    // The legend, above the bars.
    let mut x = LEFT;
    for (i, name) in chart.series.iter().enumerate() {
        let _ = Rectangle::new(Point::new(x, 14), Size::new(18, 18)).into_styled(PrimitiveStyle::with_fill(COLOURS[i % COLOURS.len()])).draw(&mut c);
        let end = Text::with_text_style(name, Point::new(x + 26, 23), big, at(Alignment::Left, Baseline::Middle)).draw(&mut c).unwrap_or(Point::new(x, 0));
        x = end.x + 30;
    }
    // Grid lines and the axis' figures, every quarter.
    let bottom = (TOP + rows * ROW) as i32;
    for q in 0..=4 {
        let v = max * f64::from(q) / 4.0;
        let gx = x_of(v);
        let colour = if q == 0 { INK } else { RULE };
        let _ = Line::new(Point::new(gx, TOP as i32 - 6), Point::new(gx, bottom)).into_styled(PrimitiveStyle::with_stroke(colour, 1)).draw(&mut c);
        let figure = if max >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") };
        let _ = Text::with_text_style(&figure, Point::new(gx, bottom + 6), small, at(Alignment::Center, Baseline::Top)).draw(&mut c);
    }
    let _ = Text::with_text_style(&fit(&chart.axis, 44), Point::new((LEFT + RIGHT) / 2, bottom + 30), small, at(Alignment::Center, Baseline::Top))
        .draw(&mut c);

    for (r, bar) in chart.bars.iter().enumerate() {
        let top = (TOP + r as u32 * ROW + (ROW - BAR) / 2) as i32;
        let middle = top + BAR as i32 / 2;
        let label = lines(&bar.label, 28);
        let step = if label.len() > 1 { 10 } else { 0 };
        for (k, line) in label.iter().enumerate() {
            let y = middle - step + 2 * step * k as i32;
            let _ = Text::with_text_style(line, Point::new(LEFT - 10, y), big, at(Alignment::Right, Baseline::Middle)).draw(&mut c);
        }
        let mut sum = 0.0;
        for (i, part) in bar.parts.iter().enumerate() {
            let (from, to) = (x_of(sum), x_of(sum + part.max(0.0)));
            sum += part.max(0.0);
            if to > from {
                let fill = PrimitiveStyle::with_fill(COLOURS[i % COLOURS.len()]);
                let _ = Rectangle::new(Point::new(from, top), Size::new((to - from) as u32, BAR)).into_styled(fill).draw(&mut c);
            }
        }
        let style = if bar.parts.is_empty() { small } else { big };
        let _ = Text::with_text_style(&bar.end, Point::new(x_of(sum) + 8, middle), style, at(Alignment::Left, Baseline::Middle)).draw(&mut c);
    }
    Picture { png: encode(&c), width: WIDTH, height }
}

fn encode(c: &Canvas) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, c.width, c.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // 96 pixels to the inch, so a word processor's "original size" is the size the document gives.
    encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: 3780, yppu: 3780, unit: png::Unit::Meter }));
    let mut writer = encoder.write_header().expect("writing to memory");
    writer.write_image_data(&c.rgb).expect("the canvas is the header's size");
    writer.finish().expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(p: &Picture, x: u32, y: u32) -> [u8; 3] {
        let decoder = png::Decoder::new(std::io::Cursor::new(p.png.clone()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        let i = 3 * (y * p.width + x) as usize;
        [buf[i], buf[i + 1], buf[i + 2]]
    }

    #[test]
    fn bars_are_as_long_as_their_parts() {
        let chart = BarChart {
            series: vec!["Quality".into(), "Price".into()],
            max: 100.0,
            axis: "Total score out of 100".into(),
            bars: vec![
                Bar { label: "A very long bidder name that does not fit in the label area".into(), parts: vec![40.0, 50.0], end: "90.00".into() },
                Bar { label: "Failed Ltd".into(), parts: vec![], end: "failed".into() },
            ],
        };
        let p = draw(&chart);
        assert_eq!((p.width, p.height), (WIDTH, TOP + 2 * ROW + BOTTOM));
        let middle = TOP + ROW / 2;
        let x = |v: f64| (LEFT as f64 + v / 100.0 * f64::from(RIGHT - LEFT)) as u32;
        // Quality part from 0 to 40, price part from 40 to 90, nothing after it.
        assert_eq!(pixel(&p, x(20.0), middle), [0x1D, 0x70, 0xB8]);
        assert_eq!(pixel(&p, x(60.0), middle), [0xF4, 0x77, 0x38]);
        assert_ne!(pixel(&p, x(95.0), middle), [0xF4, 0x77, 0x38]);
        // The failed bid's row has no bar.
        assert_eq!(pixel(&p, x(20.0), middle + ROW), [0xFF, 0xFF, 0xFF]);
    }

    #[test]
    fn long_labels_go_on_two_lines_then_are_cut_with_an_ellipsis() {
        assert_eq!(fit("Short", 10), "Short");
        assert_eq!(fit("Forth Valley Commercial Vehicles LLP", 20), "Forth Valley Comm...");
        assert_eq!(lines("Northgate EV Vehicles plc", 28), ["Northgate EV Vehicles plc"]);
        assert_eq!(lines("Forth Valley Commercial Vehicles LLP", 28), ["Forth Valley Commercial", "Vehicles LLP"]);
        assert_eq!(lines("Ardmore Municipal Engineering Services and Maintenance Ltd", 28), ["Ardmore Municipal", "Engineering Services and..."]);
        assert_eq!(lines("Supercalifragilisticexpialidocious Holdings", 20), ["Supercalifragilis..."]);
    }
}
