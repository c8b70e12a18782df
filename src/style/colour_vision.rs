//! Colour-vision preview: how a map looks to readers with protanopia, deuteranopia or tritanopia, or printed in grey.
//! Uses the Machado, Oliveira & Fernandes (2009) matrices at full severity, applied in linear RGB.

use super::Rgba;
use super::colour::{linear_to_srgb, srgb_to_linear};
use serde::{Deserialize, Serialize};

/// What to simulate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColourVision {
    /// As designed.
    #[default]
    Normal,
    /// No long-wavelength (red) cones.
    Protanopia,
    /// No medium-wavelength (green) cones.
    Deuteranopia,
    /// No short-wavelength (blue) cones.
    Tritanopia,
    /// Luminance only, as a black-and-white print.
    Greyscale,
}

impl ColourVision {
    /// Every option, for the View menu.
    pub const ALL: [ColourVision; 5] = [
        Self::Normal,
        Self::Protanopia,
        Self::Deuteranopia,
        Self::Tritanopia,
        Self::Greyscale,
    ];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Normal => "Normal colour vision",
            Self::Protanopia => "Protanopia (no red cones)",
            Self::Deuteranopia => "Deuteranopia (no green cones)",
            Self::Tritanopia => "Tritanopia (no blue cones)",
            Self::Greyscale => "Greyscale print",
        }
    }

    /// The colour as this reader sees it.
    ///
    /// ```
    /// use locality_map::style::{ColourVision, Rgba};
    /// let grey = ColourVision::Greyscale.simulate(Rgba::hex(0xb2182b));
    /// assert!(grey.0[0] == grey.0[1] && grey.0[1] == grey.0[2]);
    /// assert_eq!(ColourVision::Normal.simulate(Rgba::hex(0x123456)), Rgba::hex(0x123456));
    /// ```
    pub fn simulate(self, colour: Rgba) -> Rgba {
        let matrix: [[f32; 3]; 3] = match self {
            Self::Normal => return colour,
            Self::Protanopia => [
                [0.152_286, 1.052_583, -0.204_868],
                [0.114_503, 0.786_281, 0.099_216],
                [-0.003_882, -0.048_116, 1.051_998],
            ],
            Self::Deuteranopia => [
                [0.367_322, 0.860_646, -0.227_968],
                [0.280_085, 0.672_501, 0.047_413],
                [-0.011_820, 0.042_940, 0.968_881],
            ],
            Self::Tritanopia => [
                [1.255_528, -0.076_749, -0.178_779],
                [-0.078_411, 0.930_809, 0.147_602],
                [0.004_733, 0.691_367, 0.303_900],
            ],
            Self::Greyscale => {
                let y = linear_to_srgb(colour.luminance());
                return Rgba([y, y, y, colour.0[3]]);
            }
        };
        let [r, g, b, a] = colour.0;
        let rgb = [srgb_to_linear(r), srgb_to_linear(g), srgb_to_linear(b)];
        let out = matrix.map(|row| row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]);
        Rgba([
            linear_to_srgb(out[0]),
            linear_to_srgb(out[1]),
            linear_to_srgb(out[2]),
            a,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::DivergingPalette;

    #[test]
    fn diverging_palettes_stay_distinguishable_for_colour_blind_readers() {
        // Neighbouring classes must differ in what every reader sees (ColorBrewer's promise, checked here).
        for palette in DivergingPalette::ALL {
            for vision in ColourVision::ALL {
                let colours: Vec<Rgba> = palette.seven().iter().map(|c| vision.simulate(*c)).collect();
                for pair in colours.windows(2) {
                    let d: i32 = (0..3)
                        .map(|i| (i32::from(pair[0].0[i]) - i32::from(pair[1].0[i])).abs())
                        .sum();
                    assert!(d > 20, "{palette:?} under {vision:?}: {pair:?} too close");
                }
            }
        }
    }
}
