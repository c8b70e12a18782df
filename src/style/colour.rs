//! Colours as plain sRGB bytes, so that styling needs no UI library; the window and the PNG export both convert.

use serde::{Deserialize, Serialize};

/// An sRGB colour with straight alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// An opaque colour from `0xRRGGBB`.
    ///
    /// ```
    /// use locality_map::style::Rgba;
    /// assert_eq!(Rgba::hex(0xb2182b).0, [0xb2, 0x18, 0x2b, 255]);
    /// ```
    pub const fn hex(rgb: u32) -> Self {
        Self([(rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8, 255])
    }

    /// Red, green, blue and alpha bytes.
    pub const fn from_rgba(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self([r, g, b, a])
    }

    /// `#rrggbb` for legends and exports.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }

    /// Relative luminance (WCAG), 0 = black, 1 = white: picks dark or light text over a fill.
    pub fn luminance(self) -> f32 {
        let [r, g, b, _] = self.0.map(srgb_to_linear);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }
}

/// sRGB byte to linear light.
pub fn srgb_to_linear(c: u8) -> f32 {
    let c = f32::from(c) / 255.0;
    if c <= 0.040_45 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Linear light to an sRGB byte.
pub fn linear_to_srgb(c: f32) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let s = if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0).round() as u8
}
