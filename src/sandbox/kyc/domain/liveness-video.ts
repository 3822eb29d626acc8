import { sha256 } from '../../../common/crypto/sha256.js';

/**
 * The liveness "video": a real, uncompressed YUV4MPEG2 file (`video/x-yuv4mpeg`, played by ffmpeg, mpv and
 * VLC), 64×48 at 10 frames per second for one second: a face-coloured disc that moves across a grey field.
 * Made here because encoding MP4 would need a codec; the real provider's container is not documented.
 */
export const LIVENESS_VIDEO_TYPE = 'video/x-yuv4mpeg';

export function livenessVideo(seed: string, frames = 10): Buffer {
  const width = 64;
  const height = 48;
  const tone = sha256(seed)[0]! % 40;
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let f = 0; f < frames; f++) {
    const luma = Buffer.alloc(width * height, 110);
    const cx = 16 + f * 3;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - 24) ** 2 < 140) luma[y * width + x] = 170 + tone;
    const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
    parts.push(Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma);
  }
  return Buffer.concat(parts);
}
