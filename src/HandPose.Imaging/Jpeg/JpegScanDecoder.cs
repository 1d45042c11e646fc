namespace HandPose.Imaging.Jpeg;

/// <summary>Huffman decoding of one scan (sequential or progressive, ITU T.81 annex F and G.1.2), then the IDCT.</summary>
internal static class JpegScanDecoder
{
    private enum ScanKind
    {
        Sequential,
        DcFirst,
        DcRefine,
        AcFirst,
        AcRefine,
    }

    /// <summary>Decodes the scan whose SOS segment is <paramref name="header"/> and whose data starts at <paramref name="pos"/>.</summary>
    /// <returns>The position of the marker that follows the scan's data.</returns>
    public static int DecodeScan(ReadOnlySpan<byte> data, int pos, ReadOnlySpan<byte> header, JpegFrame frame)
    {
        if (header.Length < 1)
        {
            throw JpegDecoder.Corrupt("the scan header (SOS) is empty");
        }

        int ns = header[0];
        if (ns is < 1 or > 4 || header.Length < 4 + (2 * ns))
        {
            throw JpegDecoder.Corrupt($"the scan header (SOS) declares {ns} components but is {header.Length} bytes long");
        }

        var comps = new JpegComponent[ns];
        int blocksPerMcu = 0;
        for (int i = 0; i < ns; i++)
        {
            int id = header[1 + (2 * i)];
            int tables = header[2 + (2 * i)];
            JpegComponent c = Array.Find(frame.Components, x => x.Id == id)
                ?? throw JpegDecoder.Corrupt($"the scan refers to component {id}, which the frame does not declare");
            if (Array.IndexOf(comps, c) >= 0)
            {
                throw JpegDecoder.Corrupt($"the scan lists component {id} twice");
            }

            c.DcTable = tables >> 4;
            c.AcTable = tables & 15;
            if (c.DcTable > 3 || c.AcTable > 3)
            {
                throw JpegDecoder.Corrupt($"the scan selects Huffman table 0x{tables:X2} (0..3 allowed)");
            }

            c.Quant ??= (int[]?)frame.Quant[c.QuantIndex]?.Clone();
            comps[i] = c;
            blocksPerMcu += c.H * c.V;
        }

        if (ns > 1 && blocksPerMcu > 10)
        {
            throw JpegDecoder.Corrupt($"an interleaved scan has {blocksPerMcu} blocks per MCU (at most 10 allowed)");
        }

        ReadOnlySpan<byte> tail = header.Slice(1 + (2 * ns), 3);
        int ss = tail[0], se = tail[1], ah = tail[2] >> 4, al = tail[2] & 15;
        ScanKind kind = ScanKind.Sequential;
        if (frame.Progressive)
        {
            bool bad = ss == 0 ? se != 0 : (ss > se || se > 63 || ns != 1);
            bad |= (ah != 0 && al != ah - 1) || al > 13;
            if (bad)
            {
                throw JpegDecoder.Corrupt($"invalid progressive scan parameters Ss={ss} Se={se} Ah={ah} Al={al}");
            }

            kind = ss == 0 ? (ah == 0 ? ScanKind.DcFirst : ScanKind.DcRefine) : (ah == 0 ? ScanKind.AcFirst : ScanKind.AcRefine);
        }

        bool needDc = kind is ScanKind.Sequential or ScanKind.DcFirst;
        bool needAc = kind is ScanKind.Sequential or ScanKind.AcFirst or ScanKind.AcRefine;
        foreach (JpegComponent c in comps)
        {
            if ((needDc && frame.DcTables[c.DcTable] is null) || (needAc && frame.AcTables[c.AcTable] is null))
            {
                throw JpegDecoder.Corrupt($"the scan uses a Huffman table that was never defined (component {c.Id})");
            }

            if (kind == ScanKind.Sequential && c.Quant is null)
            {
                throw JpegDecoder.Corrupt($"component {c.Id} uses quantisation table {c.QuantIndex}, which was never defined");
            }

            c.Predictor = 0;
        }

        var scan = new Scan
        {
            Reader = new BitReader(data, pos),
            Kind = kind,
            Ss = ss,
            Se = se,
            Al = al,
            Restart = frame.RestartInterval,
            UntilRestart = frame.RestartInterval,
        };
        Span<short> block = stackalloc short[64];
        if (ns == 1)
        {
            JpegComponent c = comps[0];
            for (int by = 0; by < c.BlocksY; by++)
            {
                for (int bx = 0; bx < c.BlocksX; bx++)
                {
                    scan.BeforeMcu(comps);

                    scan.Block(frame, c, bx, by, block);
                }

                scan.Reader.ThrowIfOverrun();
            }
        }
        else
        {
            for (int my = 0; my < frame.McusY; my++)
            {
                for (int mx = 0; mx < frame.McusX; mx++)
                {
                    scan.BeforeMcu(comps);

                    foreach (JpegComponent c in comps)
                    {
                        for (int v = 0; v < c.V; v++)
                        {
                            for (int h = 0; h < c.H; h++)
                            {
                                scan.Block(frame, c, (mx * c.H) + h, (my * c.V) + v, block);
                            }
                        }
                    }
                }

                scan.Reader.ThrowIfOverrun();
            }
        }

        scan.Reader.ThrowIfOverrun();
        int end = JpegDecoder.FindMarker(data, scan.Reader.Position);
        return end < 0 ? data.Length : end;
    }

    /// <summary>Progressive mode: the IDCT of every block once all scans are in.</summary>
    public static void InverseTransformAll(JpegFrame frame)
    {
        foreach (JpegComponent c in frame.Components)
        {
            if (c.Coefficients is null)
            {
                continue;
            }

            int[] quant = c.Quant ?? frame.Quant[c.QuantIndex]
                ?? throw JpegDecoder.Corrupt($"component {c.Id} uses quantisation table {c.QuantIndex}, which was never defined");
            for (int by = 0; by < c.BlocksY; by++)
            {
                for (int bx = 0; bx < c.BlocksX; bx++)
                {
                    ReadOnlySpan<short> coefs = c.Coefficients.AsSpan(((by * c.PaddedBlocksX) + bx) * 64, 64);
                    JpegIdct.Transform(coefs, quant, c.Plane.AsSpan((by * 8 * c.Stride) + (bx * 8)), c.Stride);
                }
            }
        }
    }

    private ref struct Scan
    {
        public BitReader Reader;
        public ScanKind Kind;
        public int Ss;
        public int Se;
        public int Al;
        public int EobRun;
        public int Restart;
        public int UntilRestart;

        /// <summary>Counts MCUs and, at the end of each restart interval, consumes RSTn and resets the predictors.</summary>
        public void BeforeMcu(JpegComponent[] comps)
        {
            if (Restart == 0)
            {
                return;
            }

            if (UntilRestart == 0)
            {
                RestartInterval(comps);
                UntilRestart = Restart;
            }

            UntilRestart--;
        }

        private void RestartInterval(JpegComponent[] comps)
        {
            Reader.Restart();
            EobRun = 0;
            foreach (JpegComponent c in comps)
            {
                c.Predictor = 0;
            }
        }

        public void Block(JpegFrame frame, JpegComponent c, int bx, int by, scoped Span<short> scratch)
        {
            if (Kind == ScanKind.Sequential)
            {
                scratch.Clear();
                bool hasAc = DecodeSequential(ref Reader, frame.DcTables[c.DcTable]!, frame.AcTables[c.AcTable]!, ref c.Predictor, scratch);
                Span<byte> dest = c.Plane.AsSpan((by * 8 * c.Stride) + (bx * 8));
                if (hasAc)
                {
                    JpegIdct.Transform(scratch, c.Quant!, dest, c.Stride);
                }
                else
                {
                    JpegIdct.TransformDcOnly(scratch[0], c.Quant![0], dest, c.Stride);
                }

                return;
            }

            Span<short> coefs = c.Coefficients.AsSpan(((by * c.PaddedBlocksX) + bx) * 64, 64);
            switch (Kind)
            {
                case ScanKind.DcFirst:
                    int s = Reader.Decode(frame.DcTables[c.DcTable]!);
                    if (s != 0)
                    {
                        c.Predictor += Reader.ReceiveExtend(s);
                    }

                    coefs[0] = (short)(c.Predictor << Al);
                    break;
                case ScanKind.DcRefine:
                    if (Reader.GetBit() != 0)
                    {
                        coefs[0] |= (short)(1 << Al);
                    }

                    break;
                case ScanKind.AcFirst:
                    AcFirst(frame.AcTables[c.AcTable]!, coefs);
                    break;
                default:
                    AcRefine(frame.AcTables[c.AcTable]!, coefs);
                    break;
            }
        }

        private void AcFirst(HuffmanTable ac, Span<short> coefs)
        {
            if (EobRun > 0)
            {
                EobRun--;
                return;
            }

            ReadOnlySpan<byte> zigzag = JpegTables.ZigZag;
            for (int k = Ss; k <= Se; k++)
            {
                int rs = Reader.Decode(ac);
                int r = rs >> 4, s = rs & 15;
                if (s != 0)
                {
                    k += r;
                    coefs[zigzag[k]] = (short)(Reader.ReceiveExtend(s) << Al);
                }
                else if (r == 15)
                {
                    k += 15;
                }
                else
                {
                    EobRun = 1 << r;
                    if (r != 0)
                    {
                        EobRun += Reader.GetBits(r);
                    }

                    EobRun--;
                    break;
                }
            }
        }

        private void AcRefine(HuffmanTable ac, Span<short> coefs)
        {
            ReadOnlySpan<byte> zigzag = JpegTables.ZigZag;
            int p1 = 1 << Al, m1 = -1 << Al;
            int k = Ss;
            if (EobRun == 0)
            {
                for (; k <= Se; k++)
                {
                    int rs = Reader.Decode(ac);
                    int r = rs >> 4, s = rs & 15;
                    if (s != 0)
                    {
                        s = Reader.GetBit() != 0 ? p1 : m1; // s should be 1; libjpeg treats any size the same way
                    }
                    else if (r != 15)
                    {
                        EobRun = 1 << r;
                        if (r != 0)
                        {
                            EobRun += Reader.GetBits(r);
                        }

                        break;
                    }

                    do
                    {
                        int z = zigzag[k];
                        if (coefs[z] != 0)
                        {
                            RefineBit(ref coefs[z], p1, m1);
                        }
                        else if (--r < 0)
                        {
                            break;
                        }

                        k++;
                    }
                    while (k <= Se);

                    if (s != 0)
                    {
                        coefs[zigzag[k]] = (short)s;
                    }
                }
            }

            if (EobRun > 0)
            {
                for (; k <= Se; k++)
                {
                    int z = zigzag[k];
                    if (coefs[z] != 0)
                    {
                        RefineBit(ref coefs[z], p1, m1);
                    }
                }

                EobRun--;
            }
        }

        private void RefineBit(ref short coef, int p1, int m1)
        {
            if (Reader.GetBit() != 0 && (coef & p1) == 0)
            {
                coef = (short)(coef >= 0 ? coef + p1 : coef + m1);
            }
        }
    }

    /// <summary>Decodes one sequential block into <paramref name="block"/> (natural order, already zeroed).</summary>
    /// <returns>Whether any AC coefficient was coded.</returns>
    private static bool DecodeSequential(ref BitReader reader, HuffmanTable dc, HuffmanTable ac, ref int predictor, scoped Span<short> block)
    {
        int s = reader.Decode(dc);
        if (s != 0)
        {
            predictor += reader.ReceiveExtend(s);
        }

        block[0] = (short)predictor;
        bool hasAc = false;
        ReadOnlySpan<byte> zigzag = JpegTables.ZigZag;
        for (int k = 1; k < 64; k++)
        {
            int fast = reader.TryDecodeAc(ac);
            if (fast != 0)
            {
                k += (fast >> 8) & 0xFF;
                block[zigzag[k]] = (short)(fast >> 16);
                hasAc = true;
                continue;
            }

            int rs = reader.Decode(ac);
            int r = rs >> 4;
            s = rs & 15;
            if (s != 0)
            {
                k += r;
                block[zigzag[k]] = (short)reader.ReceiveExtend(s);
                hasAc = true;
            }
            else if (r == 15)
            {
                k += 15;
            }
            else
            {
                break;
            }
        }

        return hasAc;
    }
}
