//! Media queries, owned and evaluated at a width: a page is seen on a
//! screen of that many pixels (1280 when a check names none). Width
//! features (`min-width`, `max-width`, `width >= …`) are evaluated; the
//! media types `all` and `screen` match, `print` does not; other features
//! (`orientation`, `prefers-color-scheme`…) never match.

use lightningcss::media_query::{
    MediaCondition, MediaFeature, MediaFeatureComparison, MediaFeatureId, MediaFeatureName,
    MediaFeatureValue, MediaList, MediaQuery, MediaType, Operator, Qualifier, QueryFeature,
};
use lightningcss::values::length::{Length, LengthValue};

/// The width a page is seen at when a check names none.
pub const DEFAULT_WIDTH: u32 = 1280;

/// A media query list, reduced to what decides whether it matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    Always,
    Never,
    Width(MediaFeatureComparison, f32),
    All(Vec<Media>),
    Any(Vec<Media>),
    Not(Box<Media>),
}

impl Media {
    pub fn from_list(list: &MediaList) -> Media {
        if list.media_queries.is_empty() {
            return Media::Always;
        }
        Media::Any(list.media_queries.iter().map(query).collect())
    }

    /// Does a screen `width` pixels wide match?
    pub fn matches(&self, width: f32) -> bool {
        match self {
            Media::Always => true,
            Media::Never => false,
            Media::Width(comparison, px) => match comparison {
                MediaFeatureComparison::Equal => width == *px,
                MediaFeatureComparison::GreaterThan => width > *px,
                MediaFeatureComparison::GreaterThanEqual => width >= *px,
                MediaFeatureComparison::LessThan => width < *px,
                MediaFeatureComparison::LessThanEqual => width <= *px,
            },
            Media::All(all) => all.iter().all(|media| media.matches(width)),
            Media::Any(any) => any.iter().any(|media| media.matches(width)),
            Media::Not(media) => !media.matches(width),
        }
    }
}

fn query(query: &MediaQuery) -> Media {
    let kind = match query.media_type {
        MediaType::All | MediaType::Screen => Media::Always,
        MediaType::Print | MediaType::Custom(_) => Media::Never,
    };
    let both = match &query.condition {
        Some(found) => Media::All(vec![kind, condition(found)]),
        None => kind,
    };
    match query.qualifier {
        Some(Qualifier::Not) => Media::Not(Box::new(both)),
        _ => both,
    }
}

fn condition(found: &MediaCondition) -> Media {
    match found {
        MediaCondition::Feature(found) => feature(found),
        MediaCondition::Not(inner) => Media::Not(Box::new(condition(inner))),
        MediaCondition::Operation {
            operator,
            conditions,
        } => {
            let each = conditions.iter().map(condition).collect();
            match operator {
                Operator::And => Media::All(each),
                Operator::Or => Media::Any(each),
            }
        }
        _ => Media::Never,
    }
}

fn feature(found: &MediaFeature) -> Media {
    let is_width = |name: &MediaFeatureName<MediaFeatureId>| {
        matches!(name, MediaFeatureName::Standard(MediaFeatureId::Width))
    };
    match found {
        QueryFeature::Plain { name, value } if is_width(name) => px(value)
            .map_or(Media::Never, |px| {
                Media::Width(MediaFeatureComparison::Equal, px)
            }),
        QueryFeature::Range {
            name,
            operator,
            value,
        } if is_width(name) => px(value).map_or(Media::Never, |px| Media::Width(*operator, px)),
        QueryFeature::Interval {
            name,
            start,
            start_operator,
            end,
            end_operator,
        } if is_width(name) => match (px(start), px(end)) {
            // `400px < width < 800px`: the start compares the other way.
            (Some(start), Some(end)) => Media::All(vec![
                Media::Width(flipped(*start_operator), start),
                Media::Width(*end_operator, end),
            ]),
            _ => Media::Never,
        },
        _ => Media::Never,
    }
}

fn flipped(comparison: MediaFeatureComparison) -> MediaFeatureComparison {
    match comparison {
        MediaFeatureComparison::Equal => MediaFeatureComparison::Equal,
        MediaFeatureComparison::GreaterThan => MediaFeatureComparison::LessThan,
        MediaFeatureComparison::GreaterThanEqual => MediaFeatureComparison::LessThanEqual,
        MediaFeatureComparison::LessThan => MediaFeatureComparison::GreaterThan,
        MediaFeatureComparison::LessThanEqual => MediaFeatureComparison::GreaterThanEqual,
    }
}

/// A length in pixels; `em` and `rem` are 16 pixels in a media query.
fn px(value: &MediaFeatureValue) -> Option<f32> {
    let MediaFeatureValue::Length(Length::Value(length)) = value else {
        return None;
    };
    match length {
        LengthValue::Em(em) | LengthValue::Rem(em) => Some(em * 16.0),
        other => other.to_px(),
    }
}
