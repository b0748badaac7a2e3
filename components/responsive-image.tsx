import { mediaSrcSet, mediaVariantUrl, pickWidth, scaledHeight, type ShownImage } from "@/lib/media/media-urls";

type ResponsiveImageProps = {
  image: ShownImage;
  /** The `sizes` attribute: how wide the image is drawn, so the browser picks the right width. */
  sizes: string;
  /** The CSS width the fallback `src` is chosen for, and the width attribute (with a matching height: no layout shift). */
  displayWidth: number;
  /** A square crop (portraits): the height attribute equals the width. */
  square?: boolean;
  alt: string;
  className?: string;
  /** Lazy unless the image is in the first view. */
  eager?: boolean;
};

/**
 * A stored image as a `<picture>`: WebP at every stored width, JPEG for browsers without WebP,
 * width and height set so the page does not move when it loads.
 */
export function ResponsiveImage(props: ResponsiveImageProps) {
  const { image } = props;
  const width = props.displayWidth;
  return (
    <picture>
      <source type="image/webp" srcSet={mediaSrcSet(image, "webp")} sizes={props.sizes} />
      <img
        className={props.className}
        src={mediaVariantUrl(image, pickWidth(image, width * 2), "jpeg")}
        srcSet={mediaSrcSet(image, "jpeg")}
        sizes={props.sizes}
        width={width}
        height={props.square ? width : scaledHeight(image, width)}
        alt={props.alt}
        loading={props.eager ? "eager" : "lazy"}
        decoding="async"
      />
    </picture>
  );
}
