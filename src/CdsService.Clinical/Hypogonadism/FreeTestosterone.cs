namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Calculated free testosterone by the Vermeulen mass-action equation (Vermeulen et al., JCEM 1999;84:3666), the
/// calculation ES 2018 and the EAU accept when equilibrium dialysis is not available (clinical brief §1.3).
/// </summary>
public static class FreeTestosterone
{
    /// <summary>Association constant of testosterone for albumin, L/mol (Vermeulen 1999).</summary>
    public const double AlbuminAssociationConstant = 3.6e4;

    /// <summary>Association constant of testosterone for SHBG, L/mol (Vermeulen 1999).</summary>
    public const double ShbgAssociationConstant = 1.0e9;

    /// <summary>Molar mass of albumin, g/mol, to turn g/L into mol/L.</summary>
    public const double AlbuminMolarMassGPerMol = 69_000;

    /// <summary>
    /// Free testosterone in pmol/L from total testosterone (nmol/L), SHBG (nmol/L) and albumin (g/dL).
    /// Solves Kt·N·FT² + (N + Kt·(SHBG − TT))·FT − TT = 0 with N = 1 + Ka·[albumin] for its positive root.
    /// </summary>
    public static decimal CalculatePmolPerL(decimal totalNmolPerL, decimal shbgNmolPerL, decimal albuminGPerDl)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalNmolPerL);
        ArgumentOutOfRangeException.ThrowIfNegative(shbgNmolPerL);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(albuminGPerDl);
        return TryCalculatePmolPerL(totalNmolPerL, shbgNmolPerL, albuminGPerDl, out var free)
            ? free
            : throw new ArgumentOutOfRangeException(nameof(totalNmolPerL), "The inputs give no representable free testosterone.");
    }

    /// <summary>
    /// As <see cref="CalculatePmolPerL"/>, but false (never a made-up 0, which would read as "low") when the inputs are
    /// out of range or so extreme that the result is not a finite, representable number.
    /// </summary>
    public static bool TryCalculatePmolPerL(decimal totalNmolPerL, decimal shbgNmolPerL, decimal albuminGPerDl, out decimal freePmolPerL)
    {
        freePmolPerL = 0;
        if (totalNmolPerL <= 0 || shbgNmolPerL < 0 || albuminGPerDl <= 0)
        {
            return false;
        }

        var total = (double)totalNmolPerL * 1e-9;
        var shbg = (double)shbgNmolPerL * 1e-9;
        var albumin = (double)albuminGPerDl * 10 / AlbuminMolarMassGPerMol;

        var n = 1 + (AlbuminAssociationConstant * albumin);
        var a = ShbgAssociationConstant * n;
        var b = n + (ShbgAssociationConstant * (shbg - total));
        var c = -total;

        // c < 0 and a > 0, so exactly one root is positive. (−b + √d)/2a is rewritten as −2c/(b + √d), the same
        // root without the cancellation of two nearly equal numbers when SHBG is much higher than total T.
        var free = -2 * c / (b + Math.Sqrt((b * b) - (4 * a * c)));
        var pmol = free * 1e12;
        if (!double.IsFinite(pmol) || pmol < 0 || pmol > (double)decimal.MaxValue / 10)
        {
            return false;
        }

        freePmolPerL = Math.Round((decimal)pmol, 1, MidpointRounding.AwayFromZero);
        return true;
    }
}
