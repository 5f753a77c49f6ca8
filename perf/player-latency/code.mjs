// The frame-number code burnt into the publisher's picture, and its reader. One file for both sides: the wrapper asks
// `node measure.mjs --print-filter` for the ffmpeg filter that draws it, the browser page reads it with `decode`
// (this file is served to the page as a module), and `node measure.mjs --self-test` checks the two against each other.
//
// Layout, in the 640x360 source picture: a black band at the top holding two rows of 18 cells (34 px square, a white
// block of 28 px when "on", 3 px of black around it so neighbouring blocks never blur into each other).
//   row 0: [white ref][black ref][bit 0] ... [bit 15]      a bit cell is white when the bit of n is 1
//   row 1: [black ref][white ref][!bit 0] ... [!bit 15]    the complement: white when the bit is 0
// The references give the threshold (midway between the white and the black references) and a contrast check; the
// complement row catches any misread bit (every column must read white in exactly one row). 16 bits number 65536
// frames (36 minutes at 30 fps). Cells are 22 px on a 240p rung, so the reader samples each cell's central 40 %.

export const SOURCE_WIDTH = 640;
export const SOURCE_HEIGHT = 360;
export const BITS = 16;
const COLUMNS = BITS + 2;
const CELL = 34;
const GAP = 3;
const X0 = 14;
const Y0 = 10;
const SAMPLE = 0.2; // half-width of the sampled square, as a share of a cell
const MIN_CONTRAST = 80; // luma steps between the darkest white reference and the brightest black reference
const MIN_MARGIN = 0.15; // a cell must be this share of the contrast away from the threshold

function cellIsWhite(row, column)
{
    // References: row 0 = white, black; row 1 = black, white.
    return (row === 0) === (column === 0);
}

/**
 * The ffmpeg filter chain (for -vf, after the source) that draws the code of frame (n + offset), n being the filter's
 * input frame number (0 for the first frame). Passed to ffmpeg as one argument, never through a shell.
 */
export function filter(offset = 0)
{
    const boxes = [`drawbox=x=${X0 - 4}:y=${Y0 - 4}:w=${COLUMNS * CELL + 8}:h=${2 * CELL + 8}:color=black:t=fill`];
    const box = (row, column) => `drawbox=x=${X0 + column * CELL + GAP}:y=${Y0 + row * CELL + GAP}` +
        `:w=${CELL - 2 * GAP}:h=${CELL - 2 * GAP}:color=white:t=fill`;
    for (let row = 0; row < 2; row++)
    {
        for (let column = 0; column < 2; column++)
        {
            if (cellIsWhite(row, column))
            {
                boxes.push(box(row, column));
            }
        }
    }
    for (let bit = 0; bit < BITS; bit++)
    {
        const set = `mod(floor((n+${offset})/${2 ** bit}),2)`;
        boxes.push(box(0, bit + 2) + `:enable='eq(${set},1)'`);
        boxes.push(box(1, bit + 2) + `:enable='eq(${set},0)'`);
    }
    return boxes.join(',');
}

/** Mean luma (0-255) of the central square of cell (row, column) in an RGBA picture of any size. */
function cellLuma(rgba, width, height, row, column)
{
    const sx = width / SOURCE_WIDTH;
    const sy = height / SOURCE_HEIGHT;
    const cx = (X0 + (column + 0.5) * CELL) * sx;
    const cy = (Y0 + (row + 0.5) * CELL) * sy;
    const hx = Math.max(1, Math.floor(CELL * SAMPLE * sx));
    const hy = Math.max(1, Math.floor(CELL * SAMPLE * sy));
    let sum = 0;
    let count = 0;
    for (let y = Math.round(cy) - hy; y <= Math.round(cy) + hy; y++)
    {
        for (let x = Math.round(cx) - hx; x <= Math.round(cx) + hx; x++)
        {
            const i = (y * width + x) * 4;
            sum += 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
            count++;
        }
    }
    return sum / count;
}

/**
 * Reads the frame number from an RGBA picture (the source or any scaled rendition of it, same aspect ratio).
 * Returns {n} when the picture carries a valid code, else {n: null, reason} with reason one of "size" (picture too
 * small to read), "reference" (references missing or without contrast: no code in the picture), "ambiguous" (a cell
 * too close to the threshold) or "complement" (a bit and its complement read the same). Never throws on any pixels.
 */
export function decode(rgba, width, height)
{
    if (!(width >= 160 && height >= 90) || rgba.length < width * height * 4)
    {
        return { n: null, reason: 'size' };
    }
    const whites = [cellLuma(rgba, width, height, 0, 0), cellLuma(rgba, width, height, 1, 1)];
    const blacks = [cellLuma(rgba, width, height, 0, 1), cellLuma(rgba, width, height, 1, 0)];
    const contrast = Math.min(...whites) - Math.max(...blacks);
    if (!(contrast >= MIN_CONTRAST))
    {
        return { n: null, reason: 'reference' };
    }
    const threshold = (whites[0] + whites[1] + blacks[0] + blacks[1]) / 4;
    const margin = MIN_MARGIN * contrast;
    let n = 0;
    for (let bit = 0; bit < BITS; bit++)
    {
        const on = cellLuma(rgba, width, height, 0, bit + 2) - threshold;
        const off = cellLuma(rgba, width, height, 1, bit + 2) - threshold;
        if (Math.abs(on) < margin || Math.abs(off) < margin)
        {
            return { n: null, reason: 'ambiguous' };
        }
        if ((on > 0) === (off > 0))
        {
            return { n: null, reason: 'complement' };
        }
        if (on > 0)
        {
            n += 2 ** bit;
        }
    }
    return { n, reason: null };
}

/** Paints cell (row, column) of an RGBA picture white or black: the self-test's way to corrupt a good code. */
export function paintCell(rgba, width, height, row, column, white)
{
    const sx = width / SOURCE_WIDTH;
    const sy = height / SOURCE_HEIGHT;
    const value = white ? 255 : 0;
    for (let y = Math.floor((Y0 + row * CELL) * sy); y < Math.ceil((Y0 + (row + 1) * CELL) * sy); y++)
    {
        for (let x = Math.floor((X0 + column * CELL) * sx); x < Math.ceil((X0 + (column + 1) * CELL) * sx); x++)
        {
            const i = (y * width + x) * 4;
            rgba[i] = rgba[i + 1] = rgba[i + 2] = value;
        }
    }
}
