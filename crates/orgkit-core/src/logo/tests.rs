use super::*;

/// A 1×1 PNG (the smallest real one).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn webp(declared: u32, len: usize, chunk: &[u8; 4]) -> Vec<u8> {
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&declared.to_le_bytes());
    b.extend_from_slice(b"WEBP");
    b.extend_from_slice(chunk);
    b.resize(len, 0);
    b
}

fn code(bytes: &[u8]) -> Result<LogoFormat, ErrorCode> {
    check(bytes).map_err(|e| e.code)
}

#[test]
fn formats_by_content() {
    let unsupported = Err(ErrorCode::LogoUnsupported);
    let mut png_zero_width = PNG.to_vec();
    png_zero_width[16..20].copy_from_slice(&[0, 0, 0, 0]);
    let mut png_no_ihdr = PNG.to_vec();
    png_no_ihdr[12] = b'X';
    let jpeg = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    let cases: Vec<(&str, Vec<u8>, Result<LogoFormat, ErrorCode>)> = vec![
        ("png", PNG.to_vec(), Ok(LogoFormat::Png)),
        ("png cut short", PNG[..20].to_vec(), unsupported),
        ("png head only", PNG[..29].to_vec(), Ok(LogoFormat::Png)),
        ("png zero width", png_zero_width, unsupported),
        ("png without IHDR", png_no_ihdr, unsupported),
        ("jpeg", jpeg.to_vec(), Ok(LogoFormat::Jpeg)),
        ("jpeg fill byte", vec![0xff, 0xd8, 0xff, 0xff], unsupported),
        ("webp", webp(22, 30, b"VP8 "), Ok(LogoFormat::Webp)),
        ("webp lossless", webp(22, 30, b"VP8L"), Ok(LogoFormat::Webp)),
        (
            "webp size past the end",
            webp(100, 30, b"VP8 "),
            unsupported,
        ),
        ("webp unknown chunk", webp(22, 30, b"ABCD"), unsupported),
        (
            "gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00".to_vec(),
            unsupported,
        ),
        (
            "svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            unsupported,
        ),
        ("text", b"hello.png".to_vec(), unsupported),
        ("empty", Vec::new(), unsupported),
    ];
    for (name, bytes, want) in cases {
        assert_eq!(code(&bytes), want, "{name}");
    }
}

#[test]
fn at_most_one_megabyte() {
    let mut big = PNG.to_vec();
    big.resize(MAX_LOGO_BYTES, 0);
    assert_eq!(code(&big), Ok(LogoFormat::Png));
    big.push(0);
    assert_eq!(code(&big), Err(ErrorCode::LogoTooLarge));
    assert_eq!(check_size(MAX_LOGO_BYTES).map_err(|e| e.code), Ok(()));
    assert_eq!(
        check_size(MAX_LOGO_BYTES + 1).map_err(|e| e.code),
        Err(ErrorCode::LogoTooLarge)
    );
    assert_eq!(
        check_size(0).map_err(|e| e.code),
        Err(ErrorCode::LogoUnsupported)
    );
    assert_eq!(LogoFormat::Webp.content_type(), "image/webp");
    // The SDK's check: the head of a file and its length.
    assert_eq!(
        check_head(&PNG[..HEAD_BYTES], PNG.len()).map_err(|e| e.code),
        Ok(LogoFormat::Png)
    );
    let head = webp(22, 30, b"VP8 ");
    assert_eq!(
        check_head(&head[..20], 30).map_err(|e| e.code),
        Ok(LogoFormat::Webp)
    );
    assert_eq!(
        check_head(&head[..20], 20).map_err(|e| e.code),
        Err(ErrorCode::LogoUnsupported),
        "the declared size runs past the file"
    );
    assert_eq!(
        check_head(&PNG[..HEAD_BYTES], MAX_LOGO_BYTES + 1).map_err(|e| e.code),
        Err(ErrorCode::LogoTooLarge)
    );
}
